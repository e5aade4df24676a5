/**
 * A sweep's vocabulary: what defines its numbers ({@link org.gdchaos.sweep.SweepSpec} with its
 * groups and builder), its cells identified by value ({@link org.gdchaos.sweep.Cell}), the cells a
 * shard holds ({@link org.gdchaos.sweep.Shard}), and how two specs differ. The jobs built on it
 * live in sub-packages, each importing only this package and the ones below it:
 * {@code sweep.store} (the output folder's files) ← {@code sweep.report} (figures, report.html) ←
 * {@code sweep.run} (planning and running cells) and {@code sweep.merge} (shards into one folder).
 */
package org.gdchaos.sweep;

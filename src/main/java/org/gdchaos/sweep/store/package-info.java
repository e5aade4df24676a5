/**
 * A sweep's output folder: the files a sweep writes and reads back — results.csv
 * ({@link org.gdchaos.sweep.store.ResultsCsv}), curves.csv, summary.csv, run.json
 * ({@link org.gdchaos.sweep.store.RunInfo}, the spec as {@link org.gdchaos.sweep.store.SpecJson}) —
 * the resume bookkeeping ({@link org.gdchaos.sweep.store.ResultStore},
 * {@link org.gdchaos.sweep.store.GridRows}) and the folder lock. Imports only {@code org.gdchaos.sweep}
 * of the sweep packages.
 */
package org.gdchaos.sweep.store;

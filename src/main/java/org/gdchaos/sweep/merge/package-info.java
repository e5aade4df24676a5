/**
 * Shards into one folder: the parts a sharded sweep left ({@link org.gdchaos.sweep.merge.ShardParts})
 * and their merge into the files one unsharded run writes ({@link org.gdchaos.sweep.merge.Merger}).
 */
package org.gdchaos.sweep.merge;

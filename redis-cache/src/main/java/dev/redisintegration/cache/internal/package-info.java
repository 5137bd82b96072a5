/** Implementation details of the cache; not public API, may change without notice. */
@NullMarked
package dev.redisintegration.cache.internal;

import org.jspecify.annotations.NullMarked;

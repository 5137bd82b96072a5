/**
 * Implementation of the health registry: the per-check cache and single-flight state machine and the deadline
 * runner. Not API: this package may change without further notice, and none of its types appears in a public
 * signature of {@code dev.redisintegration.health}.
 */
@NullMarked
package dev.redisintegration.health.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation of the health registry: the per-check cache and single-flight state machine and the deadline
 * runner. Not API: this package may change without further notice.
 */
package dev.redisintegration.health.internal;

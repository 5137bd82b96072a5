package dev.redisintegration.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Body of the readiness and liveness probes. Deliberately terse: probes are often reachable without
 * authentication, so no host, port or error text appears here.
 *
 * @param status UP, UNKNOWN or DOWN.
 * @param failing names of the critical checks that are not UP.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProbeView(String status, List<String> failing) {}

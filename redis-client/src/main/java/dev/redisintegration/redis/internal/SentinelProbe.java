package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisNode;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.redis.ReplicationRole;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe round with Sentinel: every Sentinel asked {@code SENTINEL GET-MASTER-ADDR-BY-NAME} and the shared
 * connection asked {@code ROLE}, all at once, bounded by one ping timeout. Up when a Sentinel names a primary, the
 * shared connection is on that node and it answers as a primary. The probe keeps one connection per Sentinel, opened
 * by the first probe (at the same time as the shared connection, so within the same connect timeout) and reopened
 * when one failed; Lettuce reconnects them like any other.
 */
final class SentinelProbe implements Prober.Round {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final List<Link> links = new ArrayList<>();
    private final String master;
    private final Prober prober;
    private final SharedConnection shared;
    private final ScheduledExecutorService timer;
    private final Duration pingTimeout;
    private final Function<Throwable, String> reasons;
    private final Consumer<String> primaryIsElsewhere;
    private volatile CompletableFuture<Void> linksOpened;
    private volatile boolean closed;

    /**
     * @param prober judges the data node's role (replica, primary) as in standalone mode.
     * @param primaryIsElsewhere told when the shared connection is on another node than the Sentinels name.
     */
    SentinelProbe(
            RedisSettings settings,
            RedisClient client,
            ClientResources resources,
            ScheduledExecutorService timer,
            Prober prober,
            SharedConnection shared,
            Function<Throwable, String> reasons,
            Consumer<String> primaryIsElsewhere) {
        this.master = settings.sentinelMaster();
        this.prober = prober;
        this.shared = shared;
        this.timer = timer;
        this.pingTimeout = settings.pingTimeout();
        this.reasons = reasons;
        this.primaryIsElsewhere = primaryIsElsewhere;
        for (RedisNode sentinel : settings.nodes()) {
            links.add(new Link(
                    sentinel,
                    new Connector<StatefulRedisSentinelConnection<String, String>>(
                            () -> client.connectSentinelAsync(
                                    StringCodec.UTF8, LettuceConfig.sentinelUri(settings, sentinel)),
                            resources,
                            timer,
                            settings.connectTimeout(),
                            error -> log.debug(
                                    "Connecting to Sentinel {} failed: {}", sentinel, reasons.apply(error)))));
        }
    }

    /** One Sentinel and the probe's connection to it. */
    private final class Link {
        private final RedisNode sentinel;
        private final Connector<StatefulRedisSentinelConnection<String, String>> connector;
        private final AtomicReference<CompletableFuture<StatefulRedisSentinelConnection<String, String>>> connection =
                new AtomicReference<>();

        Link(RedisNode sentinel, Connector<StatefulRedisSentinelConnection<String, String>> connector) {
            this.sentinel = sentinel;
            this.connector = connector;
        }

        /** The connection, opening it if there is none or the last attempt failed. */
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> get() {
            while (true) {
                CompletableFuture<StatefulRedisSentinelConnection<String, String>> current = connection.get();
                if (current != null && !current.isCompletedExceptionally()) {
                    return current;
                }
                CompletableFuture<StatefulRedisSentinelConnection<String, String>> next = new CompletableFuture<>();
                if (connection.compareAndSet(current, next)) {
                    connector.connect(this::adoptLate).whenComplete((opened, error) -> {
                        if (error != null) {
                            next.completeExceptionally(error);
                        } else if (closed) {
                            opened.closeAsync();
                            next.completeExceptionally(new IllegalStateException("RedisConnectionManager is closed"));
                        } else {
                            next.complete(opened);
                        }
                    });
                    return next;
                }
            }
        }

        /** A connect that finished after its deadline is still good: keep it unless a newer attempt is under way. */
        private void adoptLate(StatefulRedisSentinelConnection<String, String> late) {
            CompletableFuture<StatefulRedisSentinelConnection<String, String>> current = connection.get();
            if (!closed
                    && current != null
                    && current.isCompletedExceptionally()
                    && connection.compareAndSet(current, CompletableFuture.completedFuture(late))) {
                return;
            }
            late.closeAsync();
        }

        CompletableFuture<Void> closeAsync() {
            CompletableFuture<StatefulRedisSentinelConnection<String, String>> current = connection.getAndSet(null);
            if (current == null || !current.isDone() || current.isCompletedExceptionally()) {
                return CompletableFuture.completedFuture(null);
            }
            return current.join().closeAsync();
        }
    }

    /** What one Sentinel said: the primary's address, {@code null} for "no such name", or why it did not answer. */
    private record Answer(RedisNode sentinel, SocketAddress primary, Throwable error) {}

    /**
     * Starts opening the connections to the Sentinels, once: the first probe calls this before it connects the shared
     * connection, so both connects run at once and the first probe takes at most one connect timeout for them.
     */
    void openLinks() {
        if (linksOpened == null) {
            synchronized (links) {
                if (linksOpened == null) {
                    List<CompletableFuture<?>> opening = new ArrayList<>();
                    links.forEach(link -> opening.add(link.get().handle((c, e) -> null)));
                    linksOpened = CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new));
                }
            }
        }
    }

    @Override
    public CompletableFuture<RedisProbe> run(StatefulConnection<String, String> connection, long startNanos) {
        openLinks();
        // Waits only while the first opening is under way (bounded by the connect timeout); then the round alone.
        return linksOpened.thenCompose(ignored -> round(connection, startNanos));
    }

    private CompletableFuture<RedisProbe> round(StatefulConnection<String, String> connection, long start) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (Link link : links) {
            CompletableFuture<SocketAddress> ask = link.get()
                    .thenCompose(sentinel ->
                            sentinel.async().getMasterAddrByName(master).toCompletableFuture());
            answers.add(Deadlines.failAfter(ask, pingTimeout, "", timer)
                    .handle((address, error) ->
                            new Answer(link.sentinel, address, error == null ? null : Prober.unwrap(error))));
        }
        CompletableFuture<ReplicationRole> role =
                Deadlines.failAfter(Prober.roundTrip(connection, true), pingTimeout, "", timer);
        CompletableFuture<?> all = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
        return all.thenCombine(
                role.handle((r, e) -> e),
                (ignored, roleError) -> judge(
                        answers.stream().map(CompletableFuture::join).toList(),
                        roleError == null ? role.join() : null,
                        roleError == null ? null : Prober.unwrap(roleError),
                        start));
    }

    private RedisProbe judge(List<Answer> answers, ReplicationRole role, Throwable roleError, long start) {
        int answered = 0;
        Map<String, Integer> named = new LinkedHashMap<>();
        Map<String, SocketAddress> addresses = new LinkedHashMap<>();
        List<String> silent = new ArrayList<>();
        for (Answer answer : answers) {
            if (answer.error() != null) {
                silent.add(answer.sentinel() + ": " + reasons.apply(answer.error()));
                continue;
            }
            answered++;
            if (answer.primary() != null) {
                String address = SharedConnection.describe(answer.primary());
                named.merge(address, 1, Integer::sum);
                addresses.putIfAbsent(address, answer.primary());
            }
        }
        String primary = named.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "sentinel");
        details.put("master", primary == null ? "unknown" : primary);
        details.put("sentinels", answered + "/" + answers.size() + " answered");
        int majority = answers.size() / 2 + 1;
        if (answered < majority) {
            details.put(
                    "warning",
                    "only " + answered + " of " + answers.size() + " Sentinels answered: a failover needs "
                            + "a majority (" + majority + ")");
        } else if (named.size() > 1) {
            details.put("warning", "the Sentinels name different primaries: " + named);
        }
        Duration latency = Prober.since(start);
        if (answered == 0) {
            return down(latency, "no Sentinel answered (" + String.join("; ", silent) + ")", details);
        }
        if (primary == null) {
            return down(
                    latency,
                    "no Sentinel knows a primary named '" + master + "' (" + answered + "/" + answers.size()
                            + " answered)",
                    details);
        }
        if (roleError != null) {
            return down(latency, "primary " + primary + ": " + reasons.apply(roleError), details);
        }
        RedisProbe judged = prober.judge(role, latency);
        if (!judged.up()) {
            return down(latency, judged.failureReason(), details);
        }
        SocketAddress remote = shared.remoteSocket();
        if (!sameNode(addresses.get(primary), remote)) {
            String reason = "connected to " + shared.remoteAddress() + ", but the Sentinels name " + primary
                    + " as the primary";
            primaryIsElsewhere.accept(reason);
            return down(latency, reason, details);
        }
        return new RedisProbe(true, latency, null, role, details);
    }

    /**
     * Whether the node the Sentinels name is the one the socket leads to. A name the Sentinels announce (instead of an
     * IP address) that differs from the socket's host cannot be compared without resolving it: taken as the same.
     */
    private static boolean sameNode(SocketAddress named, SocketAddress remote) {
        if (!(named instanceof InetSocketAddress expected) || !(remote instanceof InetSocketAddress actual)) {
            return true;
        }
        if (expected.getPort() != actual.getPort()) {
            return false;
        }
        String host = expected.getHostString();
        if (host.equals(actual.getHostString())
                || (actual.getAddress() != null
                        && host.equals(actual.getAddress().getHostAddress()))) {
            return true;
        }
        return !IP_LITERAL.matcher(host).matches();
    }

    private static RedisProbe down(Duration latency, String reason, Map<String, Object> details) {
        return new RedisProbe(false, latency, reason, ReplicationRole.UNKNOWN, details);
    }

    CompletableFuture<Void> closeAsync() {
        closed = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        links.forEach(link -> closing.add(link.closeAsync().exceptionally(error -> null)));
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }
}

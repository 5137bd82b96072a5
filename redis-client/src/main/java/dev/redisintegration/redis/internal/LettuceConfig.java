package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisNode;
import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.Transports;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DefaultDnsCnameCache;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Maps {@link RedisSettings} onto Lettuce's resources, options and URIs. */
public final class LettuceConfig {

    /** Idle time before the first keepalive probe. */
    public static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(5);
    /** Time between keepalive probes. */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(2);
    /** Unanswered probes before the kernel drops the connection. */
    public static final int KEEPALIVE_COUNT = 3;
    /**
     * How long sent data may stay unacknowledged before the kernel drops the connection (epoll only): a peer that
     * vanished during a cloud failover is noticed in seconds instead of after ~15 minutes of TCP retransmissions.
     */
    public static final Duration TCP_USER_TIMEOUT = Duration.ofSeconds(10);
    /** First step of the exponential reconnect back-off, in milliseconds. */
    static final long RECONNECT_BASE_MILLIS = 100;
    /**
     * Periodic refresh of a cluster's topology, besides the adaptive triggers: a change that sends no redirect (a new
     * replica, a node that recovered) is seen within this time.
     */
    public static final Duration CLUSTER_REFRESH_PERIOD = Duration.ofSeconds(10);
    /**
     * The least time between two adaptive topology refreshes (MOVED, ASK, persistent reconnects, uncovered slot,
     * unknown node): short, so writes to the slots of a failed primary reach the promoted replica within about a second
     * or two of its promotion, yet a storm of redirects costs at most one refresh per second.
     */
    public static final Duration CLUSTER_ADAPTIVE_REFRESH_SPACING = Duration.ofSeconds(1);
    /** Failed reconnects to one node before they trigger a topology refresh (the node may have been failed over). */
    static final int CLUSTER_REFRESH_AFTER_RECONNECTS = 3;

    private LettuceConfig() {}

    /**
     * Resources owned by one manager. Two I/O and two computation threads: the manager keeps one shared connection
     * plus a small pool, so the default (one thread per core) would only add idle threads per manager.
     *
     * @param nameServer the DNS server to ask, or {@code null} for the system's ({@code /etc/resolv.conf}); tests
     *     point it at an in-process server.
     * @param latencyRecorder where command latencies go; {@link CommandLatencyRecorder#disabled()} for nowhere.
     */
    public static ClientResources resources(
            RedisSettings settings, InetSocketAddress nameServer, CommandLatencyRecorder latencyRecorder) {
        return DefaultClientResources.builder()
                // Lettuce's own collector needs optional libraries and publishes on a timer; the caller's recorder
                // (e.g.
                // Micrometer's) or none. A recorder given here is the caller's: Lettuce does not shut it down.
                .commandLatencyRecorder(latencyRecorder)
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Full jitter: a fleet of clients does not reconnect in lock-step after a failover.
                .reconnectDelay(Delay.fullJitter(
                        Duration.ZERO, settings.reconnectMaxDelay(), RECONNECT_BASE_MILLIS, TimeUnit.MILLISECONDS))
                .addressResolverGroup(addressResolverGroup(settings.dnsMaxTtl(), nameServer))
                .build();
    }

    /**
     * Lettuce resolves host names at every (re)connect with Netty's DNS resolver and, by default, one JVM-wide cache
     * that keeps an answer as long as the record's TTL says (a managed endpoint may say minutes), ignoring the JVM's
     * {@code networkaddress.cache.ttl}. A resolver of our own caps that: after a failover moves the name, the next
     * reconnect sees the new address within {@code maxTtl}. Failures are not cached, so a name that does not resolve
     * yet is asked again at the next attempt. Hosts-file entries still win, as with the JDK.
     */
    static AddressResolverGroup<InetSocketAddress> addressResolverGroup(Duration maxTtl, InetSocketAddress nameServer) {
        int maxTtlSeconds = (int) Math.min(Integer.MAX_VALUE, maxTtl.toSeconds());
        DnsNameResolverBuilder resolver = new DnsNameResolverBuilder()
                .datagramChannelType(Transports.datagramChannelClass())
                .socketChannelType(Transports.socketChannelClass().asSubclass(SocketChannel.class))
                .resolveCache(new DefaultDnsCache(0, maxTtlSeconds, 0))
                .cnameCache(new DefaultDnsCnameCache(0, maxTtlSeconds));
        if (nameServer != null) {
            resolver.nameServerProvider(new SingletonDnsServerAddressStreamProvider(nameServer));
        }
        return new DnsAddressResolverGroup(resolver);
    }

    public static ClientOptions clientOptions(RedisSettings settings) {
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(settings.connectTimeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(KEEPALIVE_IDLE)
                        .interval(KEEPALIVE_INTERVAL)
                        .count(KEEPALIVE_COUNT)
                        .build())
                // Lettuce applies it only when a native transport (epoll, io_uring) is in use, and ignores it
                // otherwise.
                .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                        .enable()
                        .tcpUserTimeout(TCP_USER_TIMEOUT)
                        .build())
                .build();
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected instead of queueing commands without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socket);
        if (settings.ssl()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(settings.connectTimeout());
            if (settings.tlsCaCertificate() != null) {
                ssl.trustManager(settings.tlsCaCertificate().toFile());
            }
            options.sslOptions(ssl.build());
        }
        return options.build();
    }

    /**
     * The options of a cluster client: those of {@link #clientOptions(RedisSettings)} (socket, TLS, timeouts, reject
     * while disconnected), plus topology refresh on every adaptive trigger, periodically, and closing connections to
     * nodes that left the topology.
     */
    public static ClusterClientOptions clusterClientOptions(RedisSettings settings) {
        // Every adaptive trigger (MOVED, ASK, persistent reconnects, uncovered slot, unknown node) is on by default
        // since
        // Lettuce 7 (the builder's enable methods are deprecated no-ops); a unit test pins that.
        ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                .adaptiveRefreshTriggersTimeout(CLUSTER_ADAPTIVE_REFRESH_SPACING)
                .refreshTriggersReconnectAttempts(CLUSTER_REFRESH_AFTER_RECONNECTS)
                .enablePeriodicRefresh(CLUSTER_REFRESH_PERIOD)
                .closeStaleConnections(true)
                .build();
        return ClusterClientOptions.builder(clientOptions(settings))
                .topologyRefreshOptions(refresh)
                .build();
    }

    /**
     * The URI the shared connection and the exclusive pool use: the one node, or (Sentinel) every Sentinel with their
     * password and the primary's name, which Lettuce looks up at every connect and reconnect.
     */
    public static RedisURI redisUri(RedisSettings settings) {
        if (settings.mode() != RedisMode.SENTINEL) {
            return nodeUri(settings, settings.host(), settings.port());
        }
        RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId(settings.sentinelMaster());
        String sentinelPassword = sentinelPassword(settings);
        for (RedisNode sentinel : settings.nodes()) {
            uri.withSentinel(sentinel.host(), sentinel.port(), sentinelPassword);
        }
        return dataNodeSettings(uri, settings).build();
    }

    /** One data node: the standalone server, a cluster seed, or the cluster primary an exclusive connection goes to. */
    public static RedisURI nodeUri(RedisSettings settings, String host, int port) {
        return dataNodeSettings(RedisURI.builder().withHost(host).withPort(port).withSsl(settings.ssl()), settings)
                .build();
    }

    /** Every seed of a cluster. */
    public static List<RedisURI> clusterSeeds(RedisSettings settings) {
        return settings.nodes().stream()
                .map(node -> nodeUri(settings, node.host(), node.port()))
                .toList();
    }

    /** One Sentinel, for the probe's own connection to it. */
    public static RedisURI sentinelUri(RedisSettings settings, RedisNode sentinel) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(sentinel.host())
                .withPort(sentinel.port())
                .withTimeout(settings.commandTimeout());
        String password = sentinelPassword(settings);
        if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        return uri.build();
    }

    private static String sentinelPassword(RedisSettings settings) {
        return settings.sentinelPassword() != null ? settings.sentinelPassword() : settings.password();
    }

    private static RedisURI.Builder dataNodeSettings(RedisURI.Builder uri, RedisSettings settings) {
        uri.withDatabase(settings.database()).withTimeout(settings.commandTimeout());
        if (settings.clientName() != null) {
            uri.withClientName(settings.clientName());
        }
        if (settings.password() != null) {
            if (settings.username() != null) {
                uri.withAuthentication(settings.username(), settings.password());
            } else {
                uri.withPassword(settings.password().toCharArray());
            }
        }
        return uri;
    }
}

package dev.redisintegration.testing.redis;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Runs {@code redis:7-alpine} with Testcontainers. The host port is fixed at creation so {@link #restart()} (docker
 * kill + docker start of the same container) keeps it; {@link #pause()} is {@code docker pause} (the cgroup freezer:
 * the same "accepts TCP, never answers" effect as SIGSTOP).
 */
final class ContainerRedis extends RedisBackend {

    static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRedis.class);
    private static final int REDIS_PORT = 6379;
    private static final String TLS_DIR = "/tls";

    private final Path directory;
    private final Path log;
    private GenericContainer<?> container;
    private String alias;
    private int hostPort;
    private boolean closed;

    ContainerRedis(Spec spec) {
        super(spec);
        try {
            this.directory = Files.createTempDirectory("redis-fixture-docker-");
            RedisServer.deleteOnExit(directory);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "Cannot create a temporary directory for the Redis container log", e);
        }
        this.log = directory.resolve("redis.log");
    }

    @Override
    String kind() {
        return "Redis container (" + IMAGE + ")";
    }

    @Override
    @SuppressWarnings("resource") // the container is closed in close()
    synchronized void start() {
        hostPort = freeHostPort();
        alias = "redis-fixture-" + hostPort;
        List<String> command = new ArrayList<>();
        command.add("redis-server");
        List<List<String>> lines = new ArrayList<>(directives(REDIS_PORT, "0.0.0.0", Path.of(TLS_DIR)));
        lines.add(List.of("protected-mode", "no"));
        for (List<String> line : lines) {
            command.add("--" + line.get(0));
            command.addAll(line.subList(1, line.size()));
        }
        command.addAll(spec.extraArgs());
        GenericContainer<?> created = new GenericContainer<>(IMAGE)
                .withNetwork(Network.SHARED)
                .withNetworkAliases(alias)
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
                        .withStartupTimeout(spec.startupTimeout().plusSeconds(50)))
                .withCreateContainerCmdModifier(cmd -> {
                    ExposedPort exposed = ExposedPort.tcp(REDIS_PORT);
                    HostConfig hostConfig = cmd.getHostConfig() == null ? new HostConfig() : cmd.getHostConfig();
                    cmd.withExposedPorts(exposed);
                    cmd.withHostConfig(
                            hostConfig.withPortBindings(new PortBinding(Ports.Binding.bindPort(hostPort), exposed)));
                });
        if (needsTls()) {
            TlsMaterial tls = TlsMaterial.shared();
            created.withCopyFileToContainer(MountableFile.forHostPath(tls.caCertificate, 0644), TLS_DIR + "/ca.crt")
                    .withCopyFileToContainer(
                            MountableFile.forHostPath(tls.serverCertificate, 0644), TLS_DIR + "/redis.crt")
                    .withCopyFileToContainer(MountableFile.forHostPath(tls.serverKey, 0644), TLS_DIR + "/redis.key");
        }
        container = created;
        try {
            container.start();
            awaitReady(this::containerRunning);
        } catch (RuntimeException e) {
            String tail = logTail();
            container.stop();
            throw new IllegalStateException(
                    "Cannot start " + kind() + " on host port " + hostPort + ": " + e.getMessage()
                            + "\n--- redis log (tail) ---\n" + tail,
                    e);
        }
        LOG.info("Started {} {} on {}:{}", kind(), container.getContainerId(), host(), hostPort);
    }

    private static int freeHostPort() {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (socket.getLocalPort() != REDIS_PORT) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot find a free host port", e);
            }
        }
        throw new IllegalStateException("Cannot find a free host port");
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }

    private boolean containerRunning() {
        InspectContainerResponse.ContainerState state =
                docker().inspectContainerCmd(container.getContainerId()).exec().getState();
        return Boolean.TRUE.equals(state.getRunning());
    }

    @Override
    String host() {
        return container.getHost();
    }

    @Override
    int port() {
        return hostPort;
    }

    @Override
    String replicationHost() {
        return alias;
    }

    @Override
    int replicationPort() {
        return REDIS_PORT;
    }

    @Override
    synchronized void stop() {
        ensureOpen();
        if (containerRunning()) {
            if (isPaused()) {
                docker().unpauseContainerCmd(container.getContainerId()).exec();
            }
            docker().killContainerCmd(container.getContainerId()).exec();
        }
        LOG.info("Stopped {} on {}:{}", kind(), host(), hostPort);
    }

    @Override
    synchronized void restart() {
        ensureOpen();
        if (containerRunning()) {
            stop();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                docker().startContainerCmd(container.getContainerId()).exec();
                break;
            } catch (RuntimeException e) {
                // "port is already allocated" while the old binding is released: retry the same port briefly.
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot restart " + kind() + " on host port " + hostPort, e);
                }
                RedisServer.sleep(Duration.ofMillis(200));
            }
        }
        awaitReady(this::containerRunning);
        LOG.info("Restarted {} on {}:{}", kind(), host(), hostPort);
    }

    @Override
    synchronized void pause() {
        ensureOpen();
        docker().pauseContainerCmd(container.getContainerId()).exec();
        LOG.info("Paused {} on {}:{}", kind(), host(), hostPort);
    }

    @Override
    synchronized void resume() {
        ensureOpen();
        docker().unpauseContainerCmd(container.getContainerId()).exec();
        LOG.info("Resumed {} on {}:{}", kind(), host(), hostPort);
    }

    @Override
    synchronized boolean isRunning() {
        return !closed && container != null && containerRunning();
    }

    @Override
    synchronized boolean isPaused() {
        if (closed || container == null) {
            return false;
        }
        return Boolean.TRUE.equals(docker().inspectContainerCmd(container.getContainerId())
                .exec()
                .getState()
                .getPaused());
    }

    @Override
    String logTail() {
        try {
            if (container != null && container.getContainerId() != null) {
                Files.writeString(log, container.getLogs(), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            return "(container log unavailable: " + e.getMessage() + ")";
        }
        return RedisServer.tail(log, 30);
    }

    @Override
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (container != null) {
            try {
                if (isPausedQuietly()) {
                    docker().unpauseContainerCmd(container.getContainerId()).exec();
                }
            } finally {
                container.stop();
            }
        }
        RedisServer.deleteRecursively(directory);
    }

    private boolean isPausedQuietly() {
        try {
            return Boolean.TRUE.equals(docker().inspectContainerCmd(container.getContainerId())
                    .exec()
                    .getState()
                    .getPaused());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This RedisServer (host port " + hostPort + ") is closed");
        }
    }

    @Override
    public String toString() {
        return kind() + " " + hostPort;
    }
}

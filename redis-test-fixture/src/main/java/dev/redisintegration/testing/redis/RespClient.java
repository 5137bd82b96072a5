package dev.redisintegration.testing.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal RESP2 client on one socket: enough for the fixture to probe and inspect a server without
 * depending on the client library under test. Not thread-safe; one instance per caller.
 */
final class RespClient implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String endpoint;
    private final Duration timeout;

    private RespClient(Socket socket, String endpoint, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /**
     * Connects (TLS when {@code tls} is non-null) and authenticates when {@code password} is non-null.
     *
     * @throws UncheckedIOException when the server cannot be reached or does not answer within {@code timeout}
     * @throws IllegalStateException when AUTH is refused (the message never contains the password)
     */
    static RespClient connect(String host, int port, SSLContext tls, String password, Duration timeout) {
        String endpoint = host + ":" + port;
        int millis = Math.toIntExact(timeout.toMillis());
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
                ssl.setSoTimeout(millis);
                ssl.startHandshake();
                socket = ssl;
            }
            RespClient client = new RespClient(socket, endpoint, timeout);
            if (password != null) {
                try {
                    client.call("AUTH", password);
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
            }
            return client;
        } catch (IOException e) {
            closeQuietly(socket);
            throw failure(endpoint, timeout, "connect", e);
        }
    }

    /**
     * Sends one command and reads one reply: {@link String} (simple or bulk), {@link Long}, {@link List}, or
     * {@code null} for a nil reply.
     *
     * @throws IllegalStateException for an error reply, with the error text (never the arguments)
     * @throws UncheckedIOException on I/O failure or timeout
     */
    Object call(String... args) {
        String name = args[0].toUpperCase(Locale.ROOT);
        try {
            out.write(encode(args));
            out.flush();
            return read(name);
        } catch (IOException e) {
            throw failure(endpoint, timeout, name, e);
        }
    }

    /** Like {@link #call} but renders the reply as text (see {@link RedisServer#command}). */
    String callText(String... args) {
        return toText(call(args));
    }

    static String toText(Object reply) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof List<?> list) {
            List<String> parts = new ArrayList<>(list.size());
            for (Object element : list) {
                String text = toText(element);
                parts.add(text == null ? "" : text);
            }
            return String.join("\n", parts);
        }
        return reply.toString();
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.writeBytes(bytes);
            buffer.writeBytes(new byte[] {'\r', '\n'});
        }
        return buffer.toByteArray();
    }

    private Object read(String command) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException(
                        "Redis at " + endpoint + " replied to " + command + " with an error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length + 2);
                if (data.length < length + 2) {
                    throw new EOFException("connection closed inside a bulk reply");
                }
                return new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    elements.add(read(command));
                }
                return elements;
            }
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "' followed by: " + line);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a reply line");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    private static UncheckedIOException failure(String endpoint, Duration timeout, String what, IOException e) {
        String reason;
        if (e instanceof SocketTimeoutException) {
            reason = "no reply within " + timeout.toMillis() + " ms";
        } else if (e instanceof ConnectException) {
            reason = "connection refused";
        } else {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new UncheckedIOException("Redis at " + endpoint + " failed on " + what + ": " + reason, e);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do: the socket is being discarded after a failure
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }
}

package dev.redisintegration.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step of {@link ServiceIndex}: {@code package} runs it on the shaded jar (JDK classes only, so it runs from
 * {@code target/classes} alone). It lists every service type of the jar and its implementations, as Micronaut's scan
 * finds them (Java services of {@code META-INF/services/} first, then Micronaut's {@code META-INF/micronaut/<type>/}),
 * and writes that list into the jar as {@value ServiceIndex#RESOURCE}.
 */
final class ServiceIndexWriter {

    private static final String JAVA_SERVICES = "META-INF/services/";
    private static final String MICRONAUT_SERVICES = "META-INF/micronaut/";

    private ServiceIndexWriter() {}

    /**
     * Lists the services of {@code args[0]}, a jar, and writes the list into it as {@link ServiceIndex#RESOURCE}.
     *
     * @param args the jar.
     * @throws IOException when the jar cannot be read or written.
     */
    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, List<String>> services = list(jar);
        StringBuilder text = new StringBuilder();
        services.forEach((type, names) ->
                names.forEach(name -> text.append(type).append(' ').append(name).append('\n')));
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Path index = zip.getPath(ServiceIndex.RESOURCE);
            Files.createDirectories(index.getParent());
            Files.writeString(index, text, StandardCharsets.UTF_8);
        }
        System.out.printf(
                "service index: %d service types, %d implementations written to %s!/%s%n",
                services.size(), services.values().stream().mapToInt(List::size).sum(), jar, ServiceIndex.RESOURCE);
    }

    /** Service type to implementations, as Micronaut's scan finds them: Java services first, then Micronaut's. */
    static Map<String, List<String>> list(Path jar) throws IOException {
        Map<String, List<String>> services = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            for (ZipEntry entry : entries) {
                String type = child(entry, JAVA_SERVICES);
                if (type != null) {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            int comment = line.indexOf('#');
                            String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
                            if (!name.isEmpty()) {
                                add(services, type, name);
                            }
                        }
                    }
                }
            }
            for (ZipEntry entry : entries) {
                String path = child(entry, MICRONAUT_SERVICES);
                int slash = path == null ? -1 : path.indexOf('/');
                if (slash > 0 && slash < path.length() - 1) {
                    String name = path.substring(slash + 1);
                    if (name.indexOf('/') < 0 && !name.startsWith(".")) {
                        add(services, path.substring(0, slash), name);
                    }
                }
            }
        }
        return services;
    }

    private static String child(ZipEntry entry, String directory) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(directory)) {
            return null;
        }
        String rest = name.substring(directory.length());
        return rest.isEmpty() || (directory.equals(JAVA_SERVICES) && rest.indexOf('/') >= 0) ? null : rest;
    }

    private static void add(Map<String, List<String>> services, String type, String name) {
        List<String> names = services.computeIfAbsent(type, t -> new ArrayList<>());
        if (!names.contains(name)) {
            names.add(name);
        }
    }
}

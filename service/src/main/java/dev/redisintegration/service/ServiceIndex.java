package dev.redisintegration.service;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.io.ResourceLoader;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The services of the shaded jar, listed once by the build instead of at every start (docs/startup.md).
 *
 * <p>Micronaut finds its bean definitions and other services by listing {@code META-INF/micronaut/<type>/} and
 * reading {@code META-INF/services/<type>} on the class path. For a jar it opens the jar as a zip file system to list
 * that directory, which reads and indexes the jar's whole central directory (13,000 entries) in Java code that has
 * not been compiled yet at that point, and it does the same once more to read {@code application.yml}: together
 * about a fifth of the main thread's start-up CPU. So:
 *
 * <ul>
 *   <li>{@code package} runs {@link ServiceIndexWriter} on the shaded jar, which writes the list of every service type and its
 *       implementations, in Micronaut's order (Java services first, then Micronaut's), into the jar as
 *       {@value #RESOURCE};
 *   <li>at start, {@link #install} hands that list to Micronaut through its own hook for build-time service lists
 *       ({@code SoftServiceLoader.Optimizations}, what Micronaut AOT generates code for), and swaps in a YAML loader
 *       that reads {@code application.yml} through the class loader, which has the jar open already.
 * </ul>
 *
 * Only when the class path is exactly one jar holding the list, i.e. the launch form ({@code -jar}): then the list
 * names every service on the class path. Anywhere else (tests, an IDE, a thin jar) nothing changes and Micronaut
 * scans as before. Services are created as Micronaut creates them (public no-argument constructor, one whose class
 * or a dependency of it is missing is left out).
 */
final class ServiceIndex {

    /** Where the build writes the list: lines of {@code <service type> <implementation class>}. */
    static final String RESOURCE = "META-INF/redis-health-service/services.idx";

    private static final String PROPERTY_SOURCE_LOADER = "io.micronaut.context.env.PropertySourceLoader";

    private ServiceIndex() {}

    /**
     * At start, before Micronaut: hands the build's list to Micronaut when the class path is one jar holding it.
     *
     * @param loader the application class loader.
     * @return true when installed; false when Micronaut scans as usual.
     */
    static boolean install(ClassLoader loader) {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        Map<String, List<String>> services;
        try {
            Enumeration<URL> found = loader.getResources(RESOURCE);
            if (!found.hasMoreElements()) {
                return false;
            }
            URL url = found.nextElement();
            if (found.hasMoreElements()) {
                return false;
            }
            services = read(url);
        } catch (IOException e) {
            return false;
        }
        List<String> propertySourceLoaders = services.get(PROPERTY_SOURCE_LOADER);
        if (propertySourceLoaders != null) {
            services.put(
                    PROPERTY_SOURCE_LOADER,
                    propertySourceLoaders.stream()
                            .map(name -> name.equals(YamlPropertySourceLoader.class.getName())
                                    ? ClassLoaderYamlLoader.class.getName()
                                    : name)
                            .collect(Collectors.toList()));
        }
        StaticOptimizations.set(new SoftServiceLoader.Optimizations(new Listed(services, loader)));
        return true;
    }

    private static Map<String, List<String>> read(URL url) throws IOException {
        Map<String, List<String>> services = new LinkedHashMap<>();
        try (InputStream in = url.openStream()) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    // Already without duplicates (ServiceIndexWriter).
                    services.computeIfAbsent(line.substring(0, space), t -> new ArrayList<>())
                            .add(line.substring(space + 1));
                }
            }
        }
        return services;
    }

    /** Every service type: the listed implementations, none for a type the list does not name. */
    private static final class Listed extends AbstractMap<String, SoftServiceLoader.StaticServiceLoader<?>> {

        private final Map<String, SoftServiceLoader.StaticServiceLoader<?>> loaders = new ConcurrentHashMap<>();
        private final Map<String, List<String>> services;
        private final ClassLoader classLoader;

        Listed(Map<String, List<String>> services, ClassLoader classLoader) {
            this.services = services;
            this.classLoader = classLoader;
        }

        @Override
        public SoftServiceLoader.StaticServiceLoader<?> get(Object type) {
            if (!(type instanceof String name)) {
                return null;
            }
            return loaders.computeIfAbsent(
                    name, t -> new ListedLoader<>(services.getOrDefault(t, List.of()), classLoader));
        }

        @Override
        public boolean containsKey(Object type) {
            return type instanceof String;
        }

        @Override
        public Set<Entry<String, SoftServiceLoader.StaticServiceLoader<?>>> entrySet() {
            return services.keySet().stream()
                    .map(type -> Map.<String, SoftServiceLoader.StaticServiceLoader<?>>entry(type, get(type)))
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    /** The implementations of one service type, created as Micronaut's own scan creates them. */
    private record ListedLoader<S>(List<String> names, ClassLoader classLoader)
            implements SoftServiceLoader.StaticServiceLoader<S> {

        private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
        private static final MethodType NO_ARGUMENTS = MethodType.methodType(void.class);

        @Override
        public Stream<SoftServiceLoader.StaticDefinition<S>> findAll(Predicate<String> condition) {
            List<SoftServiceLoader.StaticDefinition<S>> definitions = new ArrayList<>(names.size());
            for (String name : names) {
                if (condition == null || condition.test(name)) {
                    Class<S> type = type(name);
                    if (type != null) {
                        definitions.add(SoftServiceLoader.StaticDefinition.of(name, type));
                    }
                }
            }
            return definitions.stream();
        }

        @Override
        public List<S> load(Predicate<S> predicate) {
            List<S> services = new ArrayList<>(names.size());
            for (String name : names) {
                S service = create(name);
                if (service != null && (predicate == null || predicate.test(service))) {
                    services.add(service);
                }
            }
            return services;
        }

        @SuppressWarnings("unchecked")
        private Class<S> type(String name) {
            try {
                return (Class<S>) Class.forName(name, false, classLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }

        /** As Micronaut's scan: null when the class, a class it needs or its public constructor is missing. */
        @SuppressWarnings("unchecked")
        private S create(String name) {
            try {
                Class<?> type = Class.forName(name, false, classLoader);
                return (S) LOOKUP.findConstructor(type, NO_ARGUMENTS).invoke();
            } catch (NoClassDefFoundError | ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
                return null;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("Failed to load the service " + name, e);
            }
        }
    }

    /**
     * Micronaut's YAML loader, reading {@code application.yml} (and any other YAML file Micronaut looks for on the
     * class path) through the class loader, which has the jar open already, instead of opening the jar again as a
     * zip file system. Files outside the class path are read as before.
     */
    public static final class ClassLoaderYamlLoader extends YamlPropertySourceLoader {

        @Override
        protected Optional<InputStream> readInput(ResourceLoader resourceLoader, String fileName) {
            if (resourceLoader instanceof Environment environment && !fileName.contains(":")) {
                return Optional.ofNullable(environment.getClassLoader().getResourceAsStream(fileName));
            }
            return super.readInput(resourceLoader, fileName);
        }
    }
}

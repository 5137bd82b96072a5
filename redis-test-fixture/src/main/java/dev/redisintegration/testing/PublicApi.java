package dev.redisintegration.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a library's public surface from its compiled classes: which public types a package has, and that no type of
 * an {@code internal} package reaches a caller through a public or protected signature (fields, methods,
 * constructors, generic arguments, thrown types, supertypes).
 *
 * <pre>{@code
 * assertThat(PublicApi.internalLeaks(RedisConnectionManager.class, "dev.redisintegration.redis.internal.")).isEmpty();
 * }</pre>
 */
public final class PublicApi {

    private PublicApi() {}

    /**
     * Every public top-level or nested class of {@code anchor}'s package, read from the directory it was compiled to.
     *
     * @param anchor any class of the package.
     * @return the public types.
     */
    public static List<Class<?>> publicTypes(Class<?> anchor) {
        try {
            Path root = Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = root.resolve(anchor.getPackageName().replace('.', '/'));
            List<Class<?>> types = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String simple = file.getFileName().toString().replace(".class", "");
                    if (simple.equals("package-info") || simple.matches(".*\\$\\d+.*")) {
                        continue;
                    }
                    Class<?> type =
                            Class.forName(anchor.getPackageName() + "." + simple, false, anchor.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        types.add(type);
                    }
                }
            }
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the classes of " + anchor.getPackageName(), e);
        }
    }

    /**
     * Every public signature of {@code anchor}'s package that mentions a type whose name starts with
     * {@code internalPrefix}.
     *
     * @param anchor any class of the API package.
     * @param internalPrefix e.g. {@code "dev.redisintegration.redis.internal."}.
     * @return one line per leak ({@code where -> type}); empty when there is none.
     */
    public static List<String> internalLeaks(Class<?> anchor, String internalPrefix) {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes(anchor)) {
            check(type + " extends", type.getGenericSuperclass(), internalPrefix, leaks);
            for (Type implemented : type.getGenericInterfaces()) {
                check(type + " implements", implemented, internalPrefix, leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (isExposed(field.getModifiers())) {
                    check(field.toString(), field.getGenericType(), internalPrefix, leaks);
                }
            }
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
            executables.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
            for (Executable executable : executables) {
                if (!isExposed(executable.getModifiers()) || executable.isSynthetic()) {
                    continue;
                }
                if (executable instanceof Method method) {
                    check(method.toGenericString(), method.getGenericReturnType(), internalPrefix, leaks);
                }
                for (Type parameter : executable.getGenericParameterTypes()) {
                    check(executable.toGenericString(), parameter, internalPrefix, leaks);
                }
                for (Type thrown : executable.getGenericExceptionTypes()) {
                    check(executable.toGenericString(), thrown, internalPrefix, leaks);
                }
            }
        }
        return leaks;
    }

    private static boolean isExposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    // Type.getTypeName() spells out generic arguments too, e.g. CompletionStage<...internal.X>.
    private static void check(String where, Type type, String internalPrefix, List<String> leaks) {
        if (type != null && type.getTypeName().contains(internalPrefix)) {
            leaks.add(where + " -> " + type.getTypeName());
        }
    }
}

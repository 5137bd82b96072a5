package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;

/** The public surface: which types it has, and that no internal type reaches a caller through it. */
class PublicApiTest {

    private static final String INTERNAL = "dev.redisintegration.health.internal.";

    @Test
    void publicTypesAreTheDocumentedOnes() throws Exception {
        assertThat(publicTypes()).extracting(Class::getSimpleName).containsExactlyInAnyOrder(
                "CachePolicy", "CheckOptions", "CheckReport", "HealthCheck", "HealthGroups", "HealthRegistry", "Builder",
                "HealthReport", "HealthResult", "HealthStatus", "Ticker", "HealthObserver", "StatusTransition");
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            check(type + " extends", type.getGenericSuperclass(), leaks);
            for (Type implemented : type.getGenericInterfaces()) {
                check(type + " implements", implemented, leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (isExposed(field.getModifiers())) {
                    check(field.toString(), field.getGenericType(), leaks);
                }
            }
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
            executables.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
            for (Executable executable : executables) {
                if (!isExposed(executable.getModifiers()) || executable.isSynthetic()) {
                    continue;
                }
                if (executable instanceof Method method) {
                    check(method.toGenericString(), method.getGenericReturnType(), leaks);
                }
                for (Type parameter : executable.getGenericParameterTypes()) {
                    check(executable.toGenericString(), parameter, leaks);
                }
                for (Type thrown : executable.getGenericExceptionTypes()) {
                    check(executable.toGenericString(), thrown, leaks);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean isExposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    // Type.getTypeName() spells out generic arguments too, e.g. CompletionStage<...internal.X>.
    private static void check(String where, Type type, List<String> leaks) {
        if (type != null && type.getTypeName().contains(INTERNAL)) {
            leaks.add(where + " -> " + type.getTypeName());
        }
    }

    /** Every public top-level or nested class of the API package, read from the compiled classes. */
    private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(HealthRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve(HealthRegistry.class.getPackageName().replace('.', '/'));
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info") || simple.matches(".*\\$\\d+.*")) {
                    continue;
                }
                Class<?> type = Class.forName(HealthRegistry.class.getPackageName() + "." + simple);
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }
}

package dev.redisintegration.cache.internal;

import java.util.regex.Pattern;

/** Namespaced keys: {@code namespace:key}, and the SCAN pattern that matches one namespace and no other. */
public final class Keys {

    /** No {@code :} (the separator) and no glob characters, so {@code team:*} can never match {@code team-x:...}. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Keys() {}

    public static String validNamespace(String namespace) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is invalid: use 1-64 characters of "
                    + "A-Z a-z 0-9 . _ - (keys are stored as namespace:key)");
        }
        return namespace;
    }

    public static String key(String namespace, String key) {
        return namespace + ":" + key;
    }

    /** The key of the lock that lets one pod of the fleet refresh {@code key} early; outside the value key space. */
    public static String refreshLock(String namespace, String key) {
        return namespace + "!refresh:" + key;
    }

    /** {@code SCAN MATCH} pattern for every key of the namespace: the namespace glob-escaped, then {@code :*}. */
    public static String pattern(String namespace) {
        return escapeGlob(namespace) + ":*";
    }

    /** Escapes the glob characters of {@code SCAN MATCH} ({@code * ? [ ] \}), so the text matches only itself. */
    public static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}

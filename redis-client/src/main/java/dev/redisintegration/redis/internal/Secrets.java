package dev.redisintegration.redis.internal;

/** Keeps passwords out of messages, logs and {@code toString()}. */
public final class Secrets {

    public static final String MASK = "****";

    private Secrets() {}

    /**
     * Masks the password part of a raw endpoint value, whatever its shape: everything between {@code ://} (or the
     * start) and the last {@code @} is user info; the part after its first ':' (or all of it) is the password.
     */
    public static String maskEndpointValue(String raw) {
        if (raw == null) {
            return null;
        }
        int at = raw.lastIndexOf('@');
        if (at < 0) {
            return raw;
        }
        int schemeEnd = raw.indexOf("://");
        int userInfoStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        String userInfo = raw.substring(userInfoStart, at);
        int colon = userInfo.indexOf(':');
        String masked = colon >= 0 ? userInfo.substring(0, colon + 1) + MASK : MASK;
        return raw.substring(0, userInfoStart) + masked + raw.substring(at);
    }

    /** Replaces every occurrence of {@code password} in {@code text}; a belt to the braces of never formatting it. */
    public static String redact(String text, String password) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, MASK);
    }
}

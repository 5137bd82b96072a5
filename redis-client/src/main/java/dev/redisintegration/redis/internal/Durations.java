package dev.redisintegration.redis.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} and ISO-8601 ({@code PT2S}). */
public final class Durations {

    public static final String ACCEPTED_FORMS = "a positive duration such as 500ms, 2s, 1m, 1h or ISO-8601 PT2S";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private Durations() {}

    /** Returns the duration, or throws {@link IllegalArgumentException} naming only the problem. */
    public static Duration parse(String raw) {
        String value = raw.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            duration = switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a valid ISO-8601 duration");
            }
        } else if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            throw new IllegalArgumentException("the unit is missing");
        } else {
            throw new IllegalArgumentException("not a duration");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive");
        }
        return duration;
    }

    /** {@code 500 ms}, {@code 2000 ms}: one unit so messages compare easily. */
    public static String format(Duration duration) {
        return duration.toMillis() + " ms";
    }
}

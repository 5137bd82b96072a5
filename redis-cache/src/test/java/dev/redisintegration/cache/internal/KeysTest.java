package dev.redisintegration.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void keysAreNamespaceColonKey() {
        assertThat(Keys.key("team-x", "user:42")).isEqualTo("team-x:user:42");
        assertThat(Keys.refreshLock("team-x", "user:42")).isEqualTo("team-x!refresh:user:42");
    }

    @Test
    void theScanPatternEndsTheNamespaceWithItsSeparator() {
        assertThat(Keys.pattern("team")).isEqualTo("team:*"); // cannot match team-x:… nor team!refresh:…
    }

    @Test
    void globCharactersAreEscaped() {
        assertThat(Keys.escapeGlob("a*b?c[d]e\\f")).isEqualTo("a\\*b\\?c\\[d\\]e\\\\f");
    }

    @Test
    void aNamespaceWithTheSeparatorOrAGlobCharacterIsRefused() {
        for (String bad : new String[] {"", "team:x", "te*m", "t?", "t[1]", "a b", "x".repeat(65)}) {
            assertThatThrownBy(() -> Keys.validNamespace(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        assertThat(Keys.validNamespace("team-x.v2_1")).isEqualTo("team-x.v2_1");
    }
}

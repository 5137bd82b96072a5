package dev.redisintegration.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void aValueRoundTripsWithItsHeader() {
        byte[] payload = {0, (byte) 0xff, (byte) 0xc3, 0x28};
        byte[] encoded = new Entry(payload, 1_700_000_000_123L, 250).encode();

        Entry decoded = Entry.decode(encoded);

        assertThat(encoded).hasSize(Entry.HEADER_BYTES + payload.length);
        assertThat(decoded).isNotNull();
        assertThat(decoded.payload()).containsExactly(payload);
        assertThat(decoded.expiresAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.deltaMillis()).isEqualTo(250);
        assertThat(decoded.isAbsent()).isFalse();
    }

    @Test
    void absentIsAFlagNotAnEmptyValue() {
        Entry absent = Entry.decode(new Entry(null, 5, 1).encode());
        Entry empty = Entry.decode(new Entry(new byte[0], 5, 1).encode());

        assertThat(absent).isNotNull();
        assertThat(absent.isAbsent()).isTrue();
        assertThat(empty).isNotNull();
        assertThat(empty.isAbsent()).isFalse();
    }

    @Test
    void bytesThatAreNotAnEntryAreAMiss() {
        assertThat(Entry.decode("plain text written by someone else".getBytes()))
                .isNull();
        assertThat(Entry.decode(new byte[3])).isNull();
    }
}

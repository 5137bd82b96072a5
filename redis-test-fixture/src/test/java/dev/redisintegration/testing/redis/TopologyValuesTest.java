package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisintegration.testing.redis.ClusterNode.Role;
import dev.redisintegration.testing.redis.ClusterNode.SlotRange;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parts of the topology fixtures that need no process: slot hashing, CLUSTER NODES parsing, option checks. */
class TopologyValuesTest {

    @Test
    void slotOfIsCrc16XmodemModulo16384WithHashTags() {
        // Expected values from CLUSTER KEYSLOT of redis-server 7.0; 12739 = CRC16/XMODEM("123456789") 0x31C3.
        assertThat(RedisCluster.slotOf("123456789")).isEqualTo(12739);
        assertThat(RedisCluster.slotOf("")).isZero();
        assertThat(RedisCluster.slotOf("user1000")).isEqualTo(3443);
        assertThat(RedisCluster.slotOf("{user1000}.following")).isEqualTo(3443);
        assertThat(RedisCluster.slotOf("foo{}{bar}"))
                .as("an empty first tag: the whole key")
                .isEqualTo(8363);
        assertThat(RedisCluster.slotOf("foo{{bar}}zap")).as("tag '{bar'").isEqualTo(4015);
        assertThat(RedisCluster.slotOf("foo{bar}{zap}"))
                .as("the first tag only")
                .isEqualTo(5061);
        assertThat(RedisCluster.slotOf("h\u00e9llo")).as("UTF-8 bytes").isEqualTo(11061);
    }

    @Test
    void keyPerSlotHasOneKeyInEachSlotAtItsIndex() {
        assertThat(RedisCluster.keyPerSlot()).hasSize(ClusterNode.SLOT_COUNT).doesNotHaveDuplicates();
        for (int slot = 0; slot < ClusterNode.SLOT_COUNT; slot++) {
            assertThat(RedisCluster.slotOf(RedisCluster.keyPerSlot().get(slot))).isEqualTo(slot);
        }
    }

    @Test
    void parsesClusterNodesLines() {
        ClusterNode primary = ClusterNode.parse(
                "e37e25d7b4b7f1c2bb4c455fe4a0e70f9dfb8dfa 127.0.0.1:42101@52101 "
                        + "myself,master - 0 1796131602000 2 connected 0-5460 5462 [5463->-a3c3fc3cec4f47d95c5d276f7ff45fd00e979d57]");
        ClusterNode replica =
                ClusterNode.parse("a22d1ce2bbd24e6df1db2cd7cec014376e32c9a7 127.0.0.1:42103@52103,host.example "
                        + "slave,fail? e37e25d7b4b7f1c2bb4c455fe4a0e70f9dfb8dfa 0 1796131602899 2 disconnected");

        assertThat(primary.role()).isEqualTo(Role.PRIMARY);
        assertThat(primary.endpoint()).isEqualTo("127.0.0.1:42101");
        assertThat(primary.slots()).containsExactly(new SlotRange(0, 5460), new SlotRange(5462, 5462));
        assertThat(primary.flags()).containsExactly("master");
        assertThat(primary.primaryId()).isNull();
        assertThat(primary.servesSlot(5460)).isTrue();
        assertThat(primary.servesSlot(5461)).isFalse();
        assertThat(primary.isFailing()).isFalse();
        assertThat(replica.role()).isEqualTo(Role.REPLICA);
        assertThat(replica.port()).isEqualTo(42103);
        assertThat(replica.primaryId()).isEqualTo(primary.id());
        assertThat(replica.slots()).isEmpty();
        assertThat(replica.isFailing()).isTrue();
        assertThat(new SlotRange(0, 5460).size()).isEqualTo(5461);
        assertThatThrownBy(() -> new SlotRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotRange(0, 16_384)).hasMessageContaining("0..16383");
    }

    @Test
    void buildersRejectOptionsThatCannotWork() {
        assertThatThrownBy(() -> RedisCluster.builder().primaries(2)).hasMessageContaining("at least 3");
        assertThatThrownBy(() -> RedisCluster.builder().replicasPerPrimary(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisCluster.builder().nodeTimeout(Duration.ZERO))
                .hasMessageContaining("nodeTimeout");
        assertThatThrownBy(() -> RedisCluster.builder().password("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSentinelGroup.builder().masterName("my master"))
                .hasMessageContaining("masterName");
        assertThatThrownBy(() -> RedisSentinelGroup.builder().sentinelPassword(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisSentinelGroup.builder().downAfter(Duration.ofMillis(-1)))
                .hasMessageContaining("downAfter");
    }

    @Test
    void clusterPortsLeaveRoomForTheBusPort() {
        for (int i = 0; i < 20; i++) {
            int port = RedisCluster.freeClusterPort();
            assertThat(port + RedisCluster.BUS_PORT_OFFSET).isLessThanOrEqualTo(65_535);
            assertThat(port).isNotEqualTo(6379);
        }
    }
}

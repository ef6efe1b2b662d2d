package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldOutSliceTest {
    @Test
    void shouldPutEachIdInTheBucketPythonComputesForIt() {
        // Given ids whose buckets Python computed:
        //   int.from_bytes(hashlib.sha256(cid.encode()).digest()[:4], "big") % 100
        // When Java computes them
        // Then they agree, so the trainer and the replay hold out the same conversations
        assertThat(HeldOutSlice.bucket("1_00000")).isEqualTo(27);
        assertThat(HeldOutSlice.bucket("1_00001")).isEqualTo(10);
        assertThat(HeldOutSlice.bucket("MUL0012")).isEqualTo(98);
        assertThat(HeldOutSlice.bucket("c-1")).isEqualTo(3);
        assertThat(HeldOutSlice.bucket("100_00012")).isLessThan(HeldOutSlice.PERCENT);
    }

    @Test
    void shouldHoldOutBucketsBelowTheShareOnly() {
        // Given ids in buckets 3, 10 and 27
        // When each is asked whether it is held out
        // Then only the one below 10 is
        assertThat(HeldOutSlice.isHeldOut("c-1")).isTrue();
        assertThat(HeldOutSlice.isHeldOut("1_00001")).isFalse();
        assertThat(HeldOutSlice.isHeldOut("1_00000")).isFalse();
    }

    @Test
    void shouldHoldOutAboutOneConversationInTen() {
        // Given ten thousand ids
        int heldOut = 0;
        for (int i = 0; i < 10_000; i++) {
            heldOut += HeldOutSlice.isHeldOut("conversation-" + i) ? 1 : 0;
        }

        // When they are counted
        // Then about a tenth are held out
        assertThat(heldOut).isBetween(900, 1100);
    }
}

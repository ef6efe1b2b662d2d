package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeamSearchTest {
    private static final int STOP = 2;

    /** One step in which every live hypothesis offers the same candidates. */
    private static BeamSearch.Finish step(BeamSearch search, int[] ids, double[] probabilities) {
        int live = search.live();
        int[][] allIds = new int[live][];
        double[][] logs = new double[live][];
        int[] counts = new int[live];
        for (int h = 0; h < live; h++) {
            allIds[h] = ids;
            logs[h] = new double[ids.length];
            for (int c = 0; c < ids.length; c++) {
                logs[h][c] = Math.log(probabilities[c]);
            }
            counts[h] = ids.length;
        }
        return search.step(allIds, logs, counts);
    }

    @Test
    void shouldPreferTheLongerReplyWhoseTokensAreMoreLikelyOnAverage() {
        // Given a width of 2, and a first step where stopping at once is likeliest (0.5) but token 7 is close (0.4)
        BeamSearch search = new BeamSearch(2, 8, STOP);
        assertThat(step(search, new int[] {STOP, 7, 8}, new double[] {0.5, 0.4, 0.1}))
                .isEqualTo(BeamSearch.Finish.STOPPED);

        // When token 7 is followed by a near-certain stop (0.9)
        BeamSearch.Finish finish = step(search, new int[] {STOP, 9}, new double[] {0.9, 0.1});

        // Then "7" (mean log-probability of 0.4 and 0.9) beats the empty reply (0.5 over one token)
        assertThat(finish).isEqualTo(BeamSearch.Finish.STOPPED);
        assertThat(search.done()).isTrue();
        assertThat(search.best()).containsExactly(7);
        assertThat(search.bestScore()).isCloseTo((Math.log(0.4) + Math.log(0.9)) / 2, org.assertj.core.data.Offset
                .offset(1e-12));
    }

    @Test
    void shouldRankASteeredSearchsRepliesByTheModelsOwnScoresPlusTheBonusOfTheTargetsTheyHold() {
        // Given a width of 2 steered to token 7 with a bonus of 0.2, and a first step whose steered scores put 7
        // first (0.6) though the model itself finds it less likely (0.4) than 8 (0.5)
        BeamSearch search = new BeamSearch(2, 8, STOP, new int[] {7}, 0.2);
        int[][] ids = {{7, 8}};
        double[][] steered = {{Math.log(0.6), Math.log(0.3)}};
        double[][] raw = {{Math.log(0.4), Math.log(0.5)}};
        search.step(ids, steered, raw, new int[] {2});

        // When both hypotheses stop next, equally likely
        int[][] stops = {{STOP}, {STOP}};
        double[][] stopScores = {{Math.log(0.9)}, {Math.log(0.9)}};
        BeamSearch.Finish finish = search.step(stops, stopScores, stopScores, new int[] {1, 1});

        // Then "7" wins on the model's own mean log-probability plus its bonus (ln 0.4 and ln 0.9 over two, + 0.2,
        // against ln 0.5 and ln 0.9 over two): the steered scores only chose the candidates
        assertThat(finish).isEqualTo(BeamSearch.Finish.STOPPED);
        assertThat(search.best()).containsExactly(7);
        assertThat(search.bestScore()).isCloseTo((Math.log(0.4) + Math.log(0.9)) / 2 + 0.2,
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void shouldKeepTheWidthBestContinuationsWithTiesToTheEarlierHypothesisThenTheLowerId() {
        // Given a width of 2 whose first step keeps tokens 5 and 6, equally likely
        BeamSearch search = new BeamSearch(2, 8, STOP);
        step(search, new int[] {6, 5, STOP}, new double[] {0.3, 0.3, 0.01});
        assertThat(search.tokens(0)[0]).isEqualTo(5);
        assertThat(search.tokens(1)[0]).isEqualTo(6);

        // When both hypotheses offer the same two tokens again
        step(search, new int[] {9, 8}, new double[] {0.5, 0.5});

        // Then the four continuations tie and the first hypothesis's go first, the lower id first
        assertThat(search.live()).isEqualTo(2);
        assertThat(new int[] {search.tokens(0)[0], search.tokens(0)[1]}).containsExactly(5, 8);
        assertThat(new int[] {search.tokens(1)[0], search.tokens(1)[1]}).containsExactly(5, 9);
        assertThat(search.parent(0)).isZero();
        assertThat(search.parent(1)).isZero();
    }

    @Test
    void shouldFinishEveryHypothesisThatReachesTheLongestReply() {
        // Given a width of 3 and replies of at most 2 tokens
        BeamSearch search = new BeamSearch(3, 2, STOP);
        step(search, new int[] {5, 6, 7}, new double[] {0.5, 0.3, 0.2});

        // When the second token is chosen without any stop
        BeamSearch.Finish finish = step(search, new int[] {8, 9}, new double[] {0.6, 0.4});

        // Then the search is over, with the best full reply, whose last token is still to be read
        assertThat(finish).isEqualTo(BeamSearch.Finish.FULL);
        assertThat(search.done()).isTrue();
        assertThat(search.best()).containsExactly(5, 8);
        assertThat(search.bestParent()).isZero();
    }

    @Test
    void shouldStopWhenNoLiveHypothesisHasABetterMeanThanTheBestFinishedOne() {
        // Given a width of 3 whose first step finishes the empty reply (0.5) and keeps two unlikely tokens
        BeamSearch search = new BeamSearch(3, 8, STOP);
        step(search, new int[] {STOP, 5, 6}, new double[] {0.5, 0.2, 0.1});

        // When the search is asked whether it is over, with one of three finished
        // Then it is: the live means (log 0.2, log 0.1) are below the finished score (log 0.5)
        assertThat(search.live()).isEqualTo(2);
        assertThat(search.done()).isTrue();
        assertThat(search.best()).isEmpty();

        // And a live hypothesis as likely on average as the finished one keeps it going
        BeamSearch close = new BeamSearch(3, 8, STOP);
        step(close, new int[] {5, STOP, 6}, new double[] {0.5, 0.4, 0.1});
        assertThat(close.done()).isFalse();
    }

    @Test
    void shouldIgnoreAStopRankedBeyondTheWidth() {
        // Given a width of 1 whose best first token is 5 and whose stop is second
        BeamSearch search = new BeamSearch(1, 8, STOP);

        // When the step is taken
        BeamSearch.Finish finish = step(search, new int[] {5, STOP}, new double[] {0.6, 0.4});

        // Then the stop finishes nothing and the search goes on with "5"
        assertThat(finish).isEqualTo(BeamSearch.Finish.NONE);
        assertThat(search.done()).isFalse();
        assertThat(search.best()).isNull();
        assertThat(search.tokens(0)[0]).isEqualTo(5);
    }
}

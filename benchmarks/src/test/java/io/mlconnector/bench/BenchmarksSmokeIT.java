package io.mlconnector.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark command working: the smoke size prints the table with every one-worker benchmark, and the bars that hold
 * at any size (calls per record, no 429, no Asana call for a rebalance) hold. Speed figures at this size on a shared CI machine are not judged.
 */
class BenchmarksSmokeIT {

    @Test
    void theSmokeRunPrintsEveryBenchmarkAndMeetsTheCorrectnessBars() throws Exception {
        // not the three-worker group (a minute more of CI for figures the one-worker runs and ThreeWorkersIT cover), nor
        // the ION push run (IonPushIT holds its correctness; its figures are judged at full size only)
        List<Figure> figures = Benchmarks.run(Size.SMOKE, Benchmarks.BENCHMARKS.keySet().stream()
                .filter(name -> !name.equals("three-workers") && !name.equals("ion-push")).toList());
        assertEquals(Set.of("Infor source", "Asana sink", "Webhook source", "End to end"),
                figures.stream().map(Figure::benchmark).collect(Collectors.toSet()));
        List<Figure> correctness = figures.stream().filter(Figure::correctness).toList();
        assertEquals(8, correctness.size(), correctness.toString());
        correctness.forEach(f -> assertTrue(f.passed(), f.toString()));
    }
}

package io.mlconnector.simulators;

import io.mlconnector.simulators.asana.AsanaSimulatorMain;
import io.mlconnector.simulators.ion.IonSimulatorMain;
import java.util.Arrays;

/** Command-line entry point: {@code java -jar simulators.jar (ion|asana) [options]}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "ion" -> IonSimulatorMain.main(rest);
            case "asana" -> AsanaSimulatorMain.main(rest);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: java -jar simulators.jar (ion|asana) [options]   (--help for each)");
        System.exit(2);
    }
}

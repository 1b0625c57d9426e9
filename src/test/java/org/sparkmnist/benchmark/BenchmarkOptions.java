package org.sparkmnist.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparkmnist.BadInputException;

/**
 * The benchmark's own options; everything else is job config ({@code FILE.conf}, {@code key=value})
 * passed to every configuration alike.
 *
 * @param rounds        how many times the comparison runs each configuration, interleaved; its table gives the medians
 * @param scoringImages    the sizes at which the scoring-throughput table scores an idx file
 * @param scoringPngImages the sizes at which it scores a directory of PNG files; both empty: no such table
 * @param scoringOnly   only the scoring-throughput table: no training comparison, no frequency table
 */
record BenchmarkOptions(int rounds, List<Integer> frequencies, List<Integer> scales, int scaleEpochs, boolean cluster, boolean pytorch,
                        List<Integer> scoringImages, List<Integer> scoringPngImages, boolean scoringOnly, Path report,
                        List<String> jobArgs,
                        String commandLine) {

    /** Enough for a median that one slow round cannot set. */
    static final int DEFAULT_ROUNDS = 3;

    static final String USAGE = String.join("\n",
            "usage: submit/benchmark.sh [--rounds N] [--frequencies F,F,...] [--scales K,K,...] [--scale-epochs N] [--no-cluster] [--no-pytorch]",
            "                           [--scoring | --no-scoring] [--scoring-images N,N,...] [--scoring-png N,N,...] [--report FILE]",
            "                           [FILE.conf ...] [key=value ...]",
            "  --rounds       rounds of the comparison, each running (a) (b) (c) (d) once in rotating order (default 3); the",
            "                 table gives each one's median and min-max over the rounds, and every ratio is of medians",
            "  --frequencies  averaging frequencies for the trade-off table (default 5,20,80; 'none' skips it)",
            "  --scales       training-set sizes in copies of MNIST for the scaling table, e.g. 1,4,16 (default: none)",
            "  --scale-epochs epochs of each scaling run (default 3; the table takes the median of epochs 2..N)",
            "  --no-cluster   skip (c), the two-worker standalone cluster",
            "  --no-pytorch   skip (d), the PyTorch reference (which needs Debian's python3-torch, python3-threadpoolctl and",
            "                 libopenblas0-openmp)",
            "  --scoring      only the scoring-throughput table (it then trains its own MLP for one epoch first)",
            "  --no-scoring   skip the scoring-throughput table",
            "  --scoring-images  sizes at which the scoring table scores an idx file (default 100000,1000000; 'none' skips them):",
            "                 MNIST's test set, then its copies shifted by up to 3 pixels, then its training set likewise, up to",
            "                 49 x 70,000 images",
            "  --scoring-png  sizes at which it scores the same images as a directory of PNG files (default 100000; 'none' skips",
            "                 them)",
            "  --report       the Markdown file the tables go into (default docs/BENCHMARKS.md)");

    /** (d) runs unless left out, and never with the scoring table alone, which trains nothing against PyTorch. */
    boolean runsPytorch() {
        return pytorch && !scoringOnly;
    }

    static BenchmarkOptions parse(List<String> args) {
        int rounds = DEFAULT_ROUNDS;
        List<Integer> frequencies = List.of(5, 20, 80);
        List<Integer> scales = List.of();
        int scaleEpochs = 3;
        boolean cluster = true;
        boolean pytorch = true;
        List<Integer> scoringImages = List.of(100_000, 1_000_000);
        List<Integer> scoringPngImages = List.of(100_000);
        boolean scoringOnly = false;
        boolean noScoring = false;
        List<String> trainingTableOptions = new ArrayList<>();
        Path report = Path.of("docs", "BENCHMARKS.md");
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--rounds" -> {
                    rounds = count(arg, value(args, ++i, arg));
                    trainingTableOptions.add(arg);
                }
                case "--frequencies" -> {
                    frequencies = numbers(arg, value(args, ++i, arg));
                    trainingTableOptions.add(arg);
                }
                case "--scales" -> {
                    scales = numbers(arg, value(args, ++i, arg));
                    trainingTableOptions.add(arg);
                }
                case "--scale-epochs" -> scaleEpochs = count(arg, value(args, ++i, arg));
                case "--no-cluster" -> cluster = false;
                case "--no-pytorch" -> pytorch = false;
                case "--scoring" -> scoringOnly = true;
                case "--no-scoring" -> noScoring = true;
                case "--scoring-images" -> scoringImages = numbers(arg, value(args, ++i, arg));
                case "--scoring-png" -> scoringPngImages = numbers(arg, value(args, ++i, arg));
                case "--report" -> report = Path.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new BadInputException("unknown benchmark option " + arg + "; expected one of --rounds, --frequencies, "
                                + "--scales, --scale-epochs, --no-cluster, --no-pytorch, --scoring, --no-scoring, --scoring-images, --scoring-png, --report");
                    }
                    jobArgs.add(arg);
                }
            }
        }
        if (scoringOnly && (noScoring || scoringImages.isEmpty() && scoringPngImages.isEmpty())) {
            throw new BadInputException("--scoring runs only the scoring table, and " + (noScoring ? "--no-scoring"
                    : "--scoring-images none with --scoring-png none") + " leaves it out; give one or the other");
        }
        if (scoringOnly && !trainingTableOptions.isEmpty()) {
            throw new BadInputException("--scoring runs only the scoring table; " + String.join(" and ", trainingTableOptions)
                    + " belong to the training tables it leaves out");
        }
        return new BenchmarkOptions(rounds, scoringOnly ? List.of() : frequencies, scales, scaleEpochs, cluster, pytorch,
                noScoring ? List.of() : scoringImages, noScoring ? List.of() : scoringPngImages, scoringOnly, report, jobArgs, String.join(" ", prepend("submit/benchmark.sh", args)));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new BadInputException(option + " needs a value");
        }
        return args.get(i);
    }

    /** One positive integer. */
    private static int count(String option, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, as a number below 1 is
        }
        throw new BadInputException(option + " expects one positive integer, got '" + value + "'");
    }

    private static List<Integer> numbers(String option, String list) {
        if (list.equals("none")) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        for (String item : list.split(",")) {
            try {
                int n = Integer.parseInt(item.strip());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                numbers.add(n);
            } catch (NumberFormatException e) {
                throw new BadInputException(option + " expects positive integers separated by commas, got '" + list + "'");
            }
        }
        return numbers;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}

package org.cohesionbarometer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the stack's processes use, read from /proc as {@code ps} and {@code top} do: CPU time
 * (user + system, including waited-for children) and memory. The JVM's memory is its resident
 * set (VmRSS); PostgreSQL's is the sum of its processes' proportional set sizes (Pss), since its
 * backends share one buffer pool that their resident sets would each count again.
 */
final class StackFootprint {
    private static final double TICKS_PER_SECOND = 100; // CLK_TCK on Linux

    record Sample(double cpuSeconds, long jvmRssBytes, long postgresPssBytes) {
        long totalBytes() {
            return jvmRssBytes + postgresPssBytes;
        }
    }

    static Sample sample(StackProcess stack) {
        double cpu = 0;
        long jvmRss = 0;
        long pgPss = 0;
        List<ProcessHandle> processes = stack.processes();
        for (ProcessHandle p : processes) {
            cpu += cpuSeconds(p.pid());
            if (p.pid() == stack.jvmPid()) {
                jvmRss = kilobytes(Path.of("/proc", String.valueOf(p.pid()), "status"), "VmRSS:") * 1024;
            } else {
                pgPss += kilobytes(Path.of("/proc", String.valueOf(p.pid()), "smaps_rollup"), "Pss:") * 1024;
            }
        }
        return new Sample(cpu, jvmRss, pgPss);
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0; // the process ended between listing and reading
        }
    }

    private static long kilobytes(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended, or the kernel has no smaps_rollup
        }
        return 0;
    }

    /** The machine's load average, as uptime prints it, to record beside every figure. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private StackFootprint() {
    }
}

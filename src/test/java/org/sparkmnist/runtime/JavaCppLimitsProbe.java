package org.sparkmnist.runtime;

import org.bytedeco.javacpp.Pointer;

/**
 * A JVM of its own for {@link NativeRuntimeJvmTest}: sets this JVM's JavaCPP limits as the job's main
 * does, before (argument "first") or after (argument "late") JavaCPP has initialised, and prints
 * the limits JavaCPP then works with next to the ones asked for.
 */
public final class JavaCppLimitsProbe {

    private JavaCppLimitsProbe() {
    }

    public static void main(String[] args) {
        if (args[0].equals("late")) {
            Pointer.maxBytes();
        }
        NativeRuntime.configureThisJvm();
        long mib = 1024L * 1024;
        System.out.println("asked " + System.getProperty(NativeRuntime.MAX_BYTES) + " " + System.getProperty(NativeRuntime.MAX_PHYSICAL_BYTES));
        System.out.println("javacpp " + Pointer.maxBytes() / mib + "m " + Pointer.maxPhysicalBytes() / mib + "m");
    }
}

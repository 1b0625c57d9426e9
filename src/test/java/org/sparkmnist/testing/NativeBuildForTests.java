package org.sparkmnist.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.sparkmnist.runtime.NativeBuild;

/**
 * Test JVMs load ND4J in-process, and both native builds are on the test class path: left alone,
 * JavaCPP would take the AVX-512 one on any CPU. Chooses as the job's entry points do, once per test
 * JVM, before the first test runs.
 */
public final class NativeBuildForTests implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBuild.prepareThisJvm();
    }
}

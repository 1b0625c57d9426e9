package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClosureCleanerCompilationTest {

    @Test
    void theDirectiveNamesTheClassReaderSparksClosureCleanerUses() throws Exception {
        // Spark moving to another shaded ASM would leave the directive matching nothing: this is where that shows.
        Class<?> cleaner = Class.forName("org.apache.spark.util.ClosureCleaner$");
        Class<?> reader = Class.forName(ClosureCleanerCompilation.READER_CLASS);
        assertTrue(cleaner.getDeclaredMethod("getClassReader", Class.class).getReturnType().equals(reader),
                "ClosureCleaner.getClassReader returns " + ClosureCleanerCompilation.READER_CLASS);
    }

    @Test
    void thisJvmHoldsTheDirectiveAfterwards() throws Exception {
        ClosureCleanerCompilation.keepOffOptimizingCompiler();

        String directives = String.valueOf(ClosureCleanerCompilation.diagnosticCommand("compilerDirectivesPrint"));
        assertTrue(directives.contains("org/apache/xbean/asm9/ClassReader"), directives);
    }
}

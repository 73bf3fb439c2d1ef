package org.cohesionbarometer.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.AutoComplete;

/** Writes the bash/zsh completion script of the whole command tree; run by the build into the distribution. */
public final class CompletionScript {
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, AutoComplete.bash("barometer", Barometer.commandLine(false, Map.of())), StandardCharsets.UTF_8);
    }

    private CompletionScript() {
    }
}

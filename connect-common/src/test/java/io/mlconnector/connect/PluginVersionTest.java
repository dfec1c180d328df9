package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PluginVersionTest {

    @Test
    void versionIsTheFilteredProjectVersion() {
        String version = PluginVersion.get();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "not a project version: " + version);
    }
}

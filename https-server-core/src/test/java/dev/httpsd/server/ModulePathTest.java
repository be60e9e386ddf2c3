package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The core as a module, as a JPMS application sees it: only the API packages are exported, the
 * protocols are services, and a server started from the module path finds HTTP/1.1 through its
 * {@code provides} (no class path, no service files) and answers a request.
 */
class ModulePathTest {

    private static final String MODULE = "dev.httpsd.server";

    @Test
    void theModuleExportsOnlyTheApiPackagesAndProvidesItsProtocolsAsServices() throws Exception {
        ModuleDescriptor descriptor = layer().findModule(MODULE).orElseThrow().getDescriptor();

        assertThat(descriptor.exports())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("dev.httpsd.server", "dev.httpsd.server.proxy", "dev.httpsd.server.tls");
        assertThat(descriptor.packages())
                .contains("dev.httpsd.server.http1", "dev.httpsd.server.websocket", "dev.httpsd.server.http2");
        assertThat(descriptor.provides())
                .extracting(ModuleDescriptor.Provides::service)
                .containsExactlyInAnyOrder("dev.httpsd.server.ProtocolFactory", "dev.httpsd.server.http1.Upgrade");
    }

    @Test
    void aServerStartedFromTheModulePathSpeaksHttp11() throws Exception {
        ClassLoader loader = layer().findLoader(MODULE);
        Class<?> configType = loader.loadClass("dev.httpsd.server.HttpServerConfig");
        Object builder = configType.getMethod("builder").invoke(null);
        builder.getClass().getMethod("serverPort", int.class).invoke(builder, 0);
        builder.getClass()
                .getMethod("bindAddress", InetAddress.class)
                .invoke(builder, InetAddress.getLoopbackAddress());
        Object config = builder.getClass().getMethod("build").invoke(builder);
        Class<?> serverType = loader.loadClass("dev.httpsd.server.HttpServer");
        Object server = serverType.getMethod("start", configType).invoke(null, config);
        try {
            int port = (int) serverType.getMethod("port").invoke(server);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream()
                        .write("GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n");
            }
        } finally {
            serverType.getMethod("stop").invoke(server);
        }
    }

    /** The core's classes and Bouncy Castle as modules in a layer of their own. */
    private static ModuleLayer layer() throws Exception {
        Path classes = Path.of(HttpServer.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Path> modules = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("bcprov") || entry.contains("bcpkix") || entry.contains("bcutil"))
                .map(Path::of)
                .collect(Collectors.toList());
        modules.add(classes);
        ModuleFinder finder = ModuleFinder.of(modules.toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }
}

package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles against the project (core, auto-configuration
 * and starter, all on this module's test classpath). A block of declarations (classes, annotated
 * beans) becomes the members of a class; any other block becomes the body of a method. Either way
 * the block may use, without declaring them, the names the README's prose gives the usual objects:
 * {@code server} ({@code HttpServer}), {@code https} ({@code HttpsServer}), {@code request}, {@code
 * response}, {@code session}, and {@code log} (an SLF4J logger). A block that starts with its
 * imports (the tests in Testing your application) is compiled as it stands, with https-server-test
 * and Spring Boot's test support on the classpath.
 */
class ReadmeJavaSnippetsTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Pattern DECLARATION =
            Pattern.compile("(?m)^(@\\w+|(public |abstract |final )*(class|record|interface|enum) )");

    private static final String IMPORTS = """
            import dev.httpsd.autoconfigure.*;
            import dev.httpsd.autoconfigure.events.*;
            import dev.httpsd.autoconfigure.observation.*;
            import dev.httpsd.autoconfigure.handler.*;
            import dev.httpsd.server.*;
            import dev.httpsd.server.tls.*;
            import java.io.*;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.security.cert.X509Certificate;
            import java.time.Duration;
            import java.time.Instant;
            import java.util.*;
            import org.springframework.context.event.EventListener;
            import org.springframework.stereotype.Component;
            """;

    private static final String FREE_NAMES = """
                static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("readme");
                HttpServer server;
                HttpsServer https;
                HttpRequest request;
                HttpResponse response;
                HttpSession session;
            """;

    /** One {@code ```java} block and the README line its code starts on. */
    record Snippet(int line, String code) {}

    @Test
    void everyJavaSnippetInTheReadmeCompiles(@TempDir Path classes) throws IOException {
        List<Snippet> snippets = snippets(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(snippets).as("README.md has java snippets").hasSizeGreaterThanOrEqualTo(5);

        assertThat(compile(snippets, classes)).isEmpty();
    }

    @Test
    void aSnippetThatDoesNotCompileIsReportedWithItsReadmeLine(@TempDir Path classes) {
        List<Snippet> broken = List.of(
                new Snippet(7, "TlsSession.of(request.session()).peerCertificates();"),
                new Snippet(20, "@Component\nclass Fine {\n    void run() {\n        log.info(\"ok\");\n    }\n}"));

        List<String> problems = compile(broken, classes);

        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("README.md:7:")
                .contains("peerCertificates");
    }

    static List<Snippet> snippets(String readme) {
        List<Snippet> snippets = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals("```java")) {
                continue;
            }
            StringBuilder code = new StringBuilder();
            int start = i + 2; // 1-based line of the first code line
            for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                code.append(lines[i]).append('\n');
            }
            snippets.add(new Snippet(start, code.toString()));
        }
        return snippets;
    }

    /** Compiles the snippets; returns one line per error, {@code README.md:line: message}. */
    private static List<String> compile(List<Snippet> snippets, Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<SnippetSource> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            sources.add(new SnippetSource("ReadmeSnippet" + i, snippets.get(i)));
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "-classpath", classpath, "-d", classes.toString(), "-proc:none", "--release", "21", "-Xlint:none");
            compiler.getTask(null, files, diagnostics, options, null, sources).call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                SnippetSource source = (SnippetSource) diagnostic.getSource();
                long line = source == null ? -1 : source.readmeLine(diagnostic.getLineNumber());
                problems.add("README.md:" + line + ": " + diagnostic.getMessage(Locale.ROOT));
            }
        }
        return problems;
    }

    /** A snippet wrapped into a compilation unit, remembering where its code starts. */
    private static final class SnippetSource extends SimpleJavaFileObject {
        private final String source;
        private final int firstCodeLine;
        private final Snippet snippet;

        SnippetSource(String className, Snippet snippet) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.snippet = snippet;
            if (snippet.code().startsWith("import ")) {
                // a complete compilation unit, imports and all (the test shown in Testing your application)
                this.source = snippet.code();
                this.firstCodeLine = 1;
                return;
            }
            boolean declarations = DECLARATION.matcher(snippet.code()).find();
            String head = IMPORTS + "\nclass " + className + " {\n" + FREE_NAMES
                    + (declarations ? "" : "    void snippet() throws Exception {\n");
            String tail = (declarations ? "" : "    }\n") + "}\n";
            this.source = head + snippet.code() + tail;
            this.firstCodeLine = (int) head.lines().count() + 1;
        }

        long readmeLine(long sourceLine) {
            return snippet.line() + Math.max(0, sourceLine - firstCodeLine);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }
}

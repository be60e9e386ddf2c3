package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Interoperability at codec level with the Python {@code hpack} and {@code h2} packages (Debian's
 * python3-h2), an implementation written apart from ours:
 *
 * <ul>
 *   <li>header blocks Python's encoder makes (Huffman or not, dynamic table, size updates,
 *       never-indexed fields) decode with our decoder to the lists it was given;
 *   <li>blocks our encoder makes decode with Python's decoder, which also sees our never-indexed
 *       fields as such;
 *   <li>an {@code h2} client's whole conversation (preface, SETTINGS, requests with body, trailers,
 *       PING) reads through our frame reader, decoder and validation, and the server side we write
 *       (SETTINGS, responses, trailers, PING ack, GOAWAY) is accepted by the {@code h2} client with
 *       its inbound validation on.
 * </ul>
 */
class PythonH2InteropTest {

    private static final HexFormat HEX = HexFormat.of();

    /** Encodes each "block" line's fields with one encoder; "size N" changes the table size. */
    static final String PYTHON_ENCODER = """
            import sys
            from hpack import Encoder, NeverIndexedHeaderTuple
            encoder = Encoder()
            out = []
            for line in sys.stdin.read().splitlines():
                words = line.split()
                if words[0] == 'size':
                    encoder.header_table_size = int(words[1])
                    continue
                headers = []
                for field in words[2:]:
                    name, value, sensitive = field.split(':')
                    name, value = bytes.fromhex(name), bytes.fromhex(value)
                    headers.append(NeverIndexedHeaderTuple(name, value) if sensitive == '1' else (name, value))
                out.append('block ' + encoder.encode(headers, huffman=(words[1] == 'huffman')).hex())
            print('\\n'.join(out))
            """;

    /** Decodes each "block" line with one decoder; "size N" allows a new table size. */
    static final String PYTHON_DECODER = """
            import sys
            from hpack import Decoder, NeverIndexedHeaderTuple
            decoder = Decoder()
            out = []
            for line in sys.stdin.read().splitlines():
                words = line.split()
                if words[0] == 'size':
                    decoder.max_allowed_table_size = int(words[1])
                    continue
                block = bytes.fromhex(words[1]) if len(words) > 1 else b''
                fields = decoder.decode(block, raw=True)
                out.append('fields ' + ' '.join(
                    n.hex() + ':' + v.hex() + ':' + ('1' if isinstance(f, NeverIndexedHeaderTuple) else '0')
                    for f in fields for (n, v) in [f]))
            print('\\n'.join(out))
            """;

    @Test
    void blocksFromPythonsEncoderDecodeToTheirLists() throws Exception {
        Random random = new Random(9113);
        List<List<HeaderField>> lists = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            if (i % 20 == 19) {
                input.append("size ").append(i == 19 ? 256 : 4096).append('\n');
            }
            List<HeaderField> list = randomList(random);
            lists.add(list);
            input.append("block ").append(random.nextBoolean() ? "huffman" : "raw");
            for (HeaderField field : list) {
                input.append(' ').append(field(field, random.nextInt(5) == 0));
            }
            input.append('\n');
        }
        List<String> blocks = lines(PythonH2.run(PYTHON_ENCODER, input.toString()), "block");
        assertThat(blocks).hasSize(lists.size());

        HpackDecoder decoder = new HpackDecoder(4096, 65_536, 65_536);
        for (int i = 0; i < blocks.size(); i++) {
            byte[] block = blocks.get(i).isEmpty() ? new byte[0] : HEX.parseHex(blocks.get(i));
            assertThat(Hpack.decode(decoder, block))
                    .as("block %d: %s", i, blocks.get(i))
                    .isEqualTo(lists.get(i));
        }
    }

    @Test
    void blocksFromOurEncoderDecodeWithPythonsDecoder() throws Exception {
        Random random = new Random(7541);
        HpackEncoder encoder = new HpackEncoder(4096, true);
        List<List<HeaderField>> lists = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            if (i % 20 == 19) {
                int size = i == 19 ? 100 : 4096;
                encoder.setPeerMaxTableSize(size);
                input.append("size ").append(size).append('\n');
            }
            List<HeaderField> list = randomList(random);
            list.add(new HeaderField("set-cookie", "id=" + i));
            list.add(new HeaderField("authorization", "Bearer token-" + i));
            lists.add(list);
            input.append("block ").append(hex(Hpack.encode(encoder, list))).append('\n');
        }
        List<String> decoded = lines(PythonH2.run(PYTHON_DECODER, input.toString()), "fields");
        assertThat(decoded).hasSize(lists.size());
        for (int i = 0; i < decoded.size(); i++) {
            List<String> expected = new ArrayList<>();
            for (HeaderField field : lists.get(i)) {
                boolean sensitive = encoder.indexingFor(field.name(), field.value()) == HpackEncoder.Indexing.NEVER;
                expected.add(field(field, sensitive));
            }
            List<String> actual = decoded.get(i).isEmpty()
                    ? List.of()
                    : List.of(decoded.get(i).split(" "));
            assertThat(actual).as("block %d", i).isEqualTo(expected);
        }
    }

    /** An h2 client's requests, then our responses fed back to it. */
    static final String PYTHON_CLIENT = """
            import sys
            import h2.config, h2.connection, h2.events
            server = bytes.fromhex(sys.stdin.read().strip())
            c = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
            c.initiate_connection()
            c.send_headers(1, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'example.com'),
                               (':path', '/upload?x=1'), ('content-type', 'text/plain'), ('content-length', '5'),
                               ('cookie', 'a=1'), ('cookie', 'b=2'), ('user-agent', 'python-h2')])
            c.send_data(1, b'hello')
            c.send_headers(1, [('x-checksum', '5d41')], end_stream=True)
            c.send_headers(3, [(':method', 'GET'), (':scheme', 'https'), (':authority', 'example.com'),
                               (':path', '/'), ('authorization', 'Bearer secret')], end_stream=True)
            c.ping(b'12345678')
            print('client ' + c.data_to_send().hex())
            def fields(headers):
                return ' | '.join(n.decode() + ': ' + v.decode() + (' (never indexed)'
                                  if type(h).__name__ == 'NeverIndexedHeaderTuple' else '')
                                  for h in headers for (n, v) in [h])
            for e in c.receive_data(server):
                if isinstance(e, h2.events.RemoteSettingsChanged):
                    print('event settings ' + ' '.join('%d=%d' % (k, v.new_value) for k, v in sorted(e.changed_settings.items())))
                elif isinstance(e, h2.events.SettingsAcknowledged):
                    print('event settings-ack')
                elif isinstance(e, h2.events.ResponseReceived):
                    print('event response %d %s' % (e.stream_id, fields(e.headers)))
                elif isinstance(e, h2.events.TrailersReceived):
                    print('event trailers %d %s' % (e.stream_id, fields(e.headers)))
                elif isinstance(e, h2.events.DataReceived):
                    c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                    print('event data %d %s' % (e.stream_id, e.data.decode()))
                elif isinstance(e, h2.events.StreamEnded):
                    print('event end %d' % e.stream_id)
                elif isinstance(e, h2.events.PingAckReceived):
                    print('event ping-ack ' + e.ping_data.decode())
                elif isinstance(e, h2.events.ConnectionTerminated):
                    print('event goaway %d %d' % (e.error_code, e.last_stream_id))
                else:
                    print('event ' + type(e).__name__)
            """;

    @Test
    void anH2ClientsConversationReadsThroughOurCodecAndOursThroughIt() throws Exception {
        Http2Settings ours = new Http2Settings(4096, false, 100, 65_535, 16_384, 16_384);
        OutputBuffer server = new OutputBuffer(512);
        FrameWriter.settings(server, ours);
        FrameWriter.settingsAck(server);
        HpackEncoder encoder = new HpackEncoder(4096, true);
        String date = "Sun, 06 Dec 2026 08:00:00 GMT";
        writeHeaders(
                server,
                encoder,
                1,
                false,
                ":status",
                "201",
                "content-type",
                "text/plain",
                "date",
                date,
                "server",
                "httpsd",
                "set-cookie",
                "sid=31d4d96e407aad42");
        byte[] stored = "stored".getBytes(StandardCharsets.US_ASCII);
        FrameWriter.data(server, 1, stored, 0, stored.length, true);
        writeHeaders(
                server,
                encoder,
                3,
                false,
                ":status",
                "200",
                "content-type",
                "text/plain",
                "date",
                date,
                "server",
                "httpsd",
                "content-length",
                "2");
        FrameWriter.data(server, 3, new byte[] {'o', 'k'}, 0, 2, false);
        writeHeaders(server, encoder, 3, true, "x-trailer", "t");
        FrameWriter.ping(server, 0x3132333435363738L, true);
        FrameWriter.goAway(server, 3, ErrorCode.NO_ERROR, null);

        String output = PythonH2.run(PYTHON_CLIENT, hex(server.toByteArray()));

        byte[] client = HEX.parseHex(lines(output, "client").getFirst());
        byte[] afterPreface = Arrays.copyOfRange(client, FrameReader.PREFACE.length, client.length);
        ScriptedConnection connection = new ScriptedConnection(ours, FloodGuard.Limits.DEFAULTS);
        assertThat(connection.run(afterPreface))
                .containsExactly(
                        "SETTINGS ack",
                        "request 1 POST /upload?x=1",
                        "body 1 hello",
                        "trailers 1 [x-checksum: 5d41]",
                        "response 1",
                        "request 3 GET /",
                        "response 3",
                        "PING ack " + 0x3132333435363738L);
        assertThat(connection.requests.getFirst().fields())
                .isEqualTo(Hpack.fields(
                        "content-type",
                        "text/plain",
                        "content-length",
                        "5",
                        "cookie",
                        "a=1; b=2",
                        "user-agent",
                        "python-h2"));
        assertThat(connection.requests.get(1).first("authorization")).isEqualTo("Bearer secret");

        assertThat(lines(output, "event"))
                .containsExactly(
                        "settings 2=0 3=100 6=16384",
                        "settings-ack",
                        "response 1 :status: 201 | content-type: text/plain | date: " + date
                                + " | server: httpsd | set-cookie: sid=31d4d96e407aad42 (never indexed)",
                        "data 1 stored",
                        "end 1",
                        "response 3 :status: 200 | content-type: text/plain | date: " + date
                                + " | server: httpsd | content-length: 2",
                        "data 3 ok",
                        "trailers 3 x-trailer: t",
                        "end 3",
                        "ping-ack 12345678",
                        "goaway 0 3");
    }

    private static void writeHeaders(
            OutputBuffer out, HpackEncoder encoder, int streamId, boolean endStream, String... namesAndValues) {
        OutputBuffer block = new OutputBuffer(128);
        encoder.beginBlock(block);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            encoder.encode(block, namesAndValues[i], namesAndValues[i + 1]);
        }
        FrameWriter.headers(out, streamId, block.array(), 0, block.length(), endStream, 16_384);
    }

    private static List<HeaderField> randomList(Random random) {
        String[] names = {":status", "content-type", "cache-control", "x-request-id", "cookie", "accept", "etag", "date"
        };
        List<HeaderField> list = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) {
            String name =
                    random.nextInt(4) == 0 ? "x-custom-" + random.nextInt(50) : names[random.nextInt(names.length)];
            char[] value = new char[random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(30)];
            for (int j = 0; j < value.length; j++) {
                value[j] = (char) (random.nextInt(8) == 0 ? random.nextInt(256) : 0x20 + random.nextInt(0x5f));
            }
            list.add(new HeaderField(name, new String(value)));
        }
        return list;
    }

    private static String field(HeaderField field, boolean sensitive) {
        return HEX.formatHex(field.name().getBytes(StandardCharsets.ISO_8859_1)) + ":"
                + HEX.formatHex(field.value().getBytes(StandardCharsets.ISO_8859_1)) + ":" + (sensitive ? "1" : "0");
    }

    private static List<String> lines(String output, String kind) {
        List<String> found = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.equals(kind)) {
                found.add("");
            } else if (line.startsWith(kind + " ")) {
                found.add(line.substring(kind.length() + 1));
            }
        }
        return found;
    }
}

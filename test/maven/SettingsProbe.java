import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuilder;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsBuildingResult;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.io.DefaultSettingsReader;
import org.apache.maven.settings.io.SettingsReader;
import org.apache.maven.settings.io.xpp3.SettingsXpp3Writer;
import org.codehaus.plexus.util.ReaderFactory;

/**
 * Asks Maven's own code what it reads from settings files, so that tests compare against Maven and not
 * against our reading of it. Reads tab-separated lines on stdin:
 *
 *   compare BEFORE AFTER ID USERNAME_B64 PASSWORD_B64   -> "ok" or "fail: reason"
 *   server FILE ID                                     -> "ok USERNAME_B64 PASSWORD_B64" or "fail: reason"
 *   ids FILE                                           -> "ok" and " ID_B64" for each server, as Maven resolves its id
 *   proxies FILE                                       -> "ok" and, for each proxy, " " and its id, active, protocol, host,
 *                                                         port, username, password and nonProxyHosts, each B64, joined by ","
 *   cli ARG_B64...                                     -> "ok SETTINGS_B64" and " DEFINE_B64" for each -D, as MavenCli parses
 *                                                         the arguments ("-" for no -s), or "fail: reason"
 *   problems FILE                                      -> "ok" and " SEVERITY,LINE,COLUMN,MESSAGE_B64" for each problem
 *                                                         Maven's settings builder reports (FATAL: it could not read
 *                                                         the file, the settings are empty; ERROR: the build stops;
 *                                                         WARNING: it goes on)
 *   read FILE                                          -> "ok ENCODING TEXT_B64": the encoding Maven's reader
 *                                                         picks for FILE and the text it reads, or "fail: reason"
 *   charset NAME                                       -> "ok CANONICAL ALIASES MAP" or "fail: unsupported":
 *                                                         MAP is 256 comma-separated code points in hex, what
 *                                                         Java decodes each byte 0x00-0xFF to ("-" for none)
 *   units NAME HEX,HEX,...                             -> "ok R,R,...": for each byte sequence, the code points
 *                                                         Java decodes it to (hex, joined by "+"), "-" for none
 *   profiles FILE                                      -> "ok TEXT_B64": the profiles Maven's own profile selector
 *                                                         activates for a build, as lines "active ID",
 *                                                         "repository PROFILE ID URL", "pluginRepository PROFILE ID URL",
 *                                                         then "pluginGroup G", "strict ok|REASON" and "rest XML_B64": the effective
 *                                                         settings without profile anypoint-exchange, its activeProfile
 *                                                         and pluginGroup org.mule.tools
 *
 * "compare" checks that the effective settings of AFTER equal those of BEFORE plus exactly the server
 * ID (new, or with only its username and password changed), whose credentials Maven resolves to the given
 * ones, and that Maven's strict reader accepts AFTER whenever it accepts BEFORE.
 */
public class SettingsProbe {
    static final SettingsBuilder BUILDER = new DefaultSettingsBuilderFactory().newInstance();

    static String strict(File file) {
        try {
            new DefaultSettingsReader().read(file, Collections.singletonMap(SettingsReader.IS_STRICT, Boolean.TRUE));
            return "ok";
        } catch (Exception e) {
            return "strict reader: " + e.getMessage();
        }
    }

    static Settings effective(File file) throws Exception {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(file);
        request.setGlobalSettingsFile(new File("/nonexistent/anypoint-m2/global-settings.xml"));
        request.setSystemProperties(System.getProperties());
        try {
            SettingsBuildingResult result = BUILDER.build(request);
            return result.getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new Exception("settings builder: " + e.getMessage().replace('\n', ' '));
        }
    }

    /** Every problem Maven's settings builder reports for FILE as the user settings, whether or not it stops. */
    static String problems(File file) {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(file);
        request.setGlobalSettingsFile(new File("/nonexistent/anypoint-m2/global-settings.xml"));
        request.setSystemProperties(System.getProperties());
        List<SettingsProblem> problems;
        try {
            problems = BUILDER.build(request).getProblems();
        } catch (SettingsBuildingException e) {
            problems = e.getProblems();
        }
        return "ok" + problems.stream()
            .map(p -> " " + p.getSeverity() + "," + p.getLineNumber() + "," + p.getColumnNumber() + "," + b64(p.getMessage()))
            .collect(Collectors.joining());
    }

    static String xml(Settings settings) throws Exception {
        StringWriter out = new StringWriter();
        new SettingsXpp3Writer().write(out, settings);
        return out.toString();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static List<Server> withId(Settings s, String id) {
        return s.getServers().stream().filter(x -> id.equals(x.getId())).collect(Collectors.toList());
    }

    static String compare(File before, File after, String id, String username, String password) throws Exception {
        String strictBefore = strict(before);
        String strictAfter = strict(after);
        if (strictBefore.equals("ok") && !strictAfter.equals("ok")) return "fail: " + strictAfter;
        Settings b = effective(before);
        Settings a = effective(after);
        List<Server> found = withId(a, id);
        if (found.isEmpty()) return "fail: Maven sees no server " + id;
        Server server = found.get(0);
        if (!username.equals(server.getUsername())) return "fail: username is " + b64(server.getUsername());
        if (!password.equals(server.getPassword())) return "fail: password differs";
        List<Server> old = withId(b, id);
        if (old.isEmpty() && found.size() != 1) return "fail: " + found.size() + " servers with the new id";
        // A new list set back, not removeServer or a setter on a listed server: Maven 4's compatibility model
        // hands out a new wrapper of its immutable server on each call, so those would change nothing.
        List<Server> servers = new ArrayList<>();
        boolean first = true;
        for (Server x : a.getServers()) {
            if (!id.equals(x.getId()) || (!old.isEmpty() && !first)) servers.add(x);
            else if (!old.isEmpty()) {
                first = false;
                x.setUsername(old.get(0).getUsername());
                x.setPassword(old.get(0).getPassword());
                servers.add(x);
            }
        }
        a.setServers(servers);
        String bx = xml(b);
        String ax = xml(a);
        if (!bx.equals(ax)) return "fail: effective settings differ beyond the server\n--- before\n" + bx + "\n--- after\n" + ax;
        return "ok";
    }

    /** The reader Maven's settings reader uses (plexus XmlStreamReader): how it picks the encoding. */
    static String read(File file) throws Exception {
        try (Reader reader = ReaderFactory.newXmlReader(file)) {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = reader.read(buf)) > 0; ) text.append(buf, 0, n);
            String encoding = ((org.codehaus.plexus.util.xml.XmlStreamReader) reader).getEncoding();
            return "ok " + encoding + " " + b64(text.toString());
        }
    }

    static String charset(String name) {
        if (!Charset.isSupported(name)) return "fail: unsupported";
        Charset cs = Charset.forName(name);
        StringBuilder map = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            CharsetDecoder decoder = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
            String decoded;
            try {
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(new byte[] { (byte) b }));
                decoded = chars.length() == 1 ? Integer.toHexString(chars.charAt(0)) : "-";
            } catch (CharacterCodingException e) {
                decoded = "-";
            }
            map.append(b == 0 ? "" : ",").append(decoded);
        }
        return "ok " + cs.name() + " " + String.join(",", cs.aliases()) + " " + map;
    }

    static String units(String name, String list) {
        if (!Charset.isSupported(name)) return "fail: unsupported";
        CharsetDecoder decoder = Charset.forName(name).newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder out = new StringBuilder("ok ");
        String[] units = list.split(",");
        for (int u = 0; u < units.length; u++) {
            byte[] bytes = new byte[units[u].length() / 2];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) Integer.parseInt(units[u].substring(2 * i, 2 * i + 2), 16);
            if (u > 0) out.append(',');
            try {
                decoder.reset();
                String text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
                out.append(text.codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining("+")));
            } catch (CharacterCodingException e) {
                out.append('-');
            }
        }
        return out.toString();
    }

    /** Maven's profile selector with its activators, wired as Maven wires them. */
    static class Profiles extends org.apache.maven.model.building.DefaultModelBuilderFactory {
        org.apache.maven.model.profile.ProfileSelector selector() {
            return newProfileSelector();
        }
    }

    /** What a build sees of the settings' profiles: settings profiles are Maven's external profiles. */
    static String profiles(File file) throws Exception {
        Settings s = effective(file);
        List<org.apache.maven.model.Profile> all = s.getProfiles().stream().map(org.apache.maven.settings.SettingsUtils::convertFromSettingsProfile).collect(Collectors.toList());
        org.apache.maven.model.profile.DefaultProfileActivationContext context = new org.apache.maven.model.profile.DefaultProfileActivationContext()
            .setActiveProfileIds(s.getActiveProfiles()).setSystemProperties(System.getProperties());
        StringBuilder out = new StringBuilder();
        for (org.apache.maven.model.Profile p : new Profiles().selector().getActiveProfiles(all, context, problem -> {})) {
            out.append("active ").append(p.getId()).append('\n');
            for (org.apache.maven.model.Repository r : p.getRepositories()) out.append("repository ").append(p.getId()).append(' ').append(r.getId()).append(' ').append(r.getUrl()).append('\n');
            for (org.apache.maven.model.Repository r : p.getPluginRepositories()) out.append("pluginRepository ").append(p.getId()).append(' ').append(r.getId()).append(' ').append(r.getUrl()).append('\n');
        }
        for (String g : s.getPluginGroups()) out.append("pluginGroup ").append(g).append('\n');
        out.append("strict ").append(strict(file).replace('\n', ' ')).append('\n');
        Settings rest = s.clone();
        rest.getProfiles().removeIf(p -> "anypoint-exchange".equals(p.getId()));
        rest.getActiveProfiles().removeIf("anypoint-exchange"::equals);
        rest.getPluginGroups().removeIf("org.mule.tools"::equals);
        out.append("rest ").append(b64(xml(rest)));
        return "ok " + b64(out.toString());
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String answer;
            try {
                if (f[0].equals("compare")) {
                    answer = compare(new File(f[1]), new File(f[2]), f[3], unb64(f[4]), unb64(f[5]));
                } else if (f[0].equals("server")) {
                    List<Server> found = withId(effective(new File(f[1])), f[2]);
                    answer = found.isEmpty() ? "fail: no server" : "ok " + b64(found.get(0).getUsername()) + " " + b64(found.get(0).getPassword());
                } else if (f[0].equals("cli")) {
                    String[] cliArgs = java.util.Arrays.stream(f).skip(1).map(SettingsProbe::unb64).toArray(String[]::new);
                    org.apache.commons.cli.CommandLine parsed = new org.apache.maven.cli.CLIManager().parse(cliArgs);
                    String settings = parsed.getOptionValue("s");
                    String[] defines = parsed.getOptionValues("D");
                    answer = "ok " + (settings == null ? "-" : b64(settings)) + (defines == null ? "" : java.util.Arrays.stream(defines).map(d -> " " + b64(d)).collect(Collectors.joining()));
                } else if (f[0].equals("ids")) {
                    answer = "ok" + effective(new File(f[1])).getServers().stream().map(x -> " " + b64(x.getId())).collect(Collectors.joining());
                } else if (f[0].equals("proxies")) {
                    answer = "ok" + effective(new File(f[1])).getProxies().stream()
                        .map(p -> " " + java.util.stream.Stream.of(p.getId(), String.valueOf(p.isActive()), p.getProtocol(), p.getHost(), String.valueOf(p.getPort()), p.getUsername(), p.getPassword(), p.getNonProxyHosts())
                            .map(SettingsProbe::b64).collect(Collectors.joining(",")))
                        .collect(Collectors.joining());
                } else if (f[0].equals("problems")) {
                    answer = problems(new File(f[1]));
                } else if (f[0].equals("read")) {
                    answer = read(new File(f[1]));
                } else if (f[0].equals("charset")) {
                    answer = charset(f[1]);
                } else if (f[0].equals("units")) {
                    answer = units(f[1], f[2]);
                } else if (f[0].equals("profiles")) {
                    answer = profiles(new File(f[1]));
                } else {
                    answer = "fail: unknown request " + f[0];
                }
            } catch (Exception e) {
                answer = "fail: " + e.getMessage();
            }
            System.out.println(answer.replace("\n", "\\n"));
            System.out.flush();
        }
    }
}

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
import org.apache.maven.settings.io.DefaultSettingsReader;
import org.apache.maven.settings.io.SettingsReader;
import org.apache.maven.settings.io.xpp3.SettingsXpp3Writer;

/**
 * Asks Maven's own code what it reads from settings files, so that tests compare against Maven and not
 * against our reading of it. Reads tab-separated lines on stdin:
 *
 *   compare BEFORE AFTER ID USERNAME_B64 PASSWORD_B64   -> "ok" or "fail: reason"
 *   server FILE ID                                     -> "ok USERNAME_B64 PASSWORD_B64" or "fail: reason"
 *   ids FILE                                           -> "ok" and " ID_B64" for each server, as Maven resolves its id
 *   cli ARG_B64...                                     -> "ok SETTINGS_B64" and " DEFINE_B64" for each -D, as MavenCli parses
 *                                                         the arguments ("-" for no -s), or "fail: reason"
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
        if (old.isEmpty()) {
            if (found.size() != 1) return "fail: " + found.size() + " servers with the new id";
            a.removeServer(server);
        } else {
            server.setUsername(old.get(0).getUsername());
            server.setPassword(old.get(0).getPassword());
        }
        String bx = xml(b);
        String ax = xml(a);
        if (!bx.equals(ax)) return "fail: effective settings differ beyond the server\n--- before\n" + bx + "\n--- after\n" + ax;
        return "ok";
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

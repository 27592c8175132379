import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStreamReader;
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
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.model.SettingsSecurity;
import org.sonatype.plexus.components.sec.dispatcher.model.io.xpp3.SecurityConfigurationXpp3Reader;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;
import org.sonatype.plexus.components.sec.dispatcher.PasswordDecryptor;

/**
 * Asks the installed Maven's own password encryption (plexus-cipher, plexus-sec-dispatcher and the settings
 * decrypter from its lib/) what it makes of values, so that tests compare against Maven and not against our
 * reading of it. The dispatcher is configured as Maven configures it (~/.m2/settings-security.xml, the
 * settings.security system property first). Reads tab-separated lines on stdin, values in base64:
 *
 *   encrypt CLEAR PASSPHRASE        -> "ok VALUE": plexus-cipher's encryptAndDecorate
 *   decrypt VALUE PASSPHRASE        -> "ok CLEAR" or "fail: reason": decryptDecorated
 *   part VALUE                      -> "ok PART" when Maven takes VALUE for encrypted (unDecorate), "none" otherwise
 *   dispatch SECFILE VALUE          -> "ok CLEAR" or "fail: reason": the dispatcher with settings.security=SECFILE
 *                                      ("-" leaves the property unset: user.home decides)
 *   server SETTINGS SECFILE ID      -> "ok USERNAME PASSWORD PROBLEMS": the server as Maven's settings builder and
 *                                      decrypter give it (PROBLEMS: how many decryption problems were reported)
 *   base64 TEXT                     -> "ok HEX" or "fail: reason": plexus-cipher's own Base64.decodeBase64 of the
 *                                      text's bytes, as PBECipher.decrypt64 calls it
 *   read BYTES                      -> "ok MASTER RELOCATION" ("-" for none) or "fail: reason": the security file's
 *                                      bytes read as SecUtil.read reads them (the strict SecurityConfigurationXpp3Reader)
 */
public class CipherProbe {
    static final SettingsBuilder BUILDER = new DefaultSettingsBuilderFactory().newInstance();
    static final DefaultPlexusCipher CIPHER = new DefaultPlexusCipher();

    static String b64(String s) {
        return Base64.getEncoder().encodeToString((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static String b64OrNone(String s) {
        return s == null ? "-" : b64(s);
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) out.append(String.format("%02x", b & 0xff));
        return out.toString();
    }

    static DefaultSecDispatcher dispatcher(String secFile) {
        if (secFile.equals("-")) System.clearProperty("settings.security");
        else System.setProperty("settings.security", secFile);
        return new DefaultSecDispatcher(CIPHER, Collections.<String, PasswordDecryptor>emptyMap(), "~/.m2/settings-security.xml");
    }

    static String server(File settings, String secFile, String id) throws Exception {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(settings);
        request.setGlobalSettingsFile(new File("/nonexistent/anypoint-m2/global-settings.xml"));
        request.setSystemProperties(System.getProperties());
        Settings effective = BUILDER.build(request).getEffectiveSettings();
        List<Server> found = effective.getServers().stream().filter(s -> id.equals(s.getId())).collect(Collectors.toList());
        if (found.isEmpty()) return "fail: no server";
        SettingsDecryptionResult result = new DefaultSettingsDecrypter(dispatcher(secFile)).decrypt(new DefaultSettingsDecryptionRequest(found.get(0)));
        Server server = result.getServer();
        return "ok " + b64(server.getUsername()) + " " + b64(server.getPassword()) + " " + result.getProblems().size();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String answer;
            try {
                switch (f[0]) {
                    case "encrypt":
                        answer = "ok " + CIPHER.encryptAndDecorate(unb64(f[1]), unb64(f[2]));
                        break;
                    case "decrypt":
                        answer = "ok " + b64(CIPHER.decryptDecorated(unb64(f[1]), unb64(f[2])));
                        break;
                    case "part":
                        String value = unb64(f[1]);
                        answer = CIPHER.isEncryptedString(value) ? "ok " + b64(CIPHER.unDecorate(value)) : "none";
                        break;
                    case "dispatch":
                        answer = "ok " + b64(dispatcher(f[1]).decrypt(unb64(f[2])));
                        break;
                    case "base64":
                        answer = "ok " + hex(org.sonatype.plexus.components.cipher.Base64.decodeBase64(unb64(f[1]).getBytes()));
                        break;
                    case "read":
                        SettingsSecurity sec = new SecurityConfigurationXpp3Reader().read(new ByteArrayInputStream(Base64.getDecoder().decode(f[1])));
                        answer = "ok " + b64OrNone(sec.getMaster()) + " " + b64OrNone(sec.getRelocation());
                        break;
                    case "server":
                        answer = server(new File(f[1]), f[2], f[3]);
                        break;
                    default:
                        answer = "fail: unknown request " + f[0];
                }
            } catch (Exception e) {
                answer = "fail: " + e;
            }
            System.out.println(answer.replace("\n", "\\n"));
            System.out.flush();
        }
    }
}

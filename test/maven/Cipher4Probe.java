import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Map;

import org.codehaus.plexus.components.secdispatcher.Cipher;
import org.codehaus.plexus.components.secdispatcher.Dispatcher;
import org.codehaus.plexus.components.secdispatcher.MasterSource;
import org.codehaus.plexus.components.secdispatcher.internal.DefaultSecDispatcher;
import org.codehaus.plexus.components.secdispatcher.internal.SecUtil;
import org.codehaus.plexus.components.secdispatcher.internal.cipher.AESGCMNoPadding;
import org.codehaus.plexus.components.secdispatcher.internal.dispatchers.LegacyDispatcher;
import org.codehaus.plexus.components.secdispatcher.internal.dispatchers.MasterDispatcher;
import org.codehaus.plexus.components.secdispatcher.internal.sources.EnvMasterSource;
import org.codehaus.plexus.components.secdispatcher.internal.sources.FileMasterSource;
import org.codehaus.plexus.components.secdispatcher.internal.sources.SystemPropertyMasterSource;
import org.codehaus.plexus.components.secdispatcher.model.Config;
import org.codehaus.plexus.components.secdispatcher.model.ConfigProperty;
import org.codehaus.plexus.components.secdispatcher.model.SettingsSecurity;

/**
 * Asks Maven 4's own password encryption (plexus-sec-dispatcher 4 from its lib/, with the dispatchers, cipher and
 * master sources Maven 4 has) what it makes of values and security files, so that tests compare against Maven 4
 * and not against our reading of it. The dispatcher is built as Maven 4's DefaultSettingsBuilder builds it: over
 * the named settings-security4.xml. Reads tab-separated lines on stdin, values in base64:
 *
 *   encrypt CLEAR SECFILE     -> "ok VALUE": DefaultSecDispatcher.encrypt with the file's default dispatcher
 *   decrypt VALUE SECFILE     -> "ok CLEAR" or "fail: reason": DefaultSecDispatcher.decrypt
 *   kind VALUE                -> "maven4", "legacy" or "none": isEncryptedString, isLegacyEncryptedString
 *   read SECFILE              -> "ok DEFAULT SOURCE CIPHER" (base64, "-" for none) or "fail: reason": SecUtil.read
 */
public class Cipher4Probe {
    static String b64(String s) {
        return Base64.getEncoder().encodeToString((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    static String b64OrNone(String s) {
        return s == null ? "-" : b64(s);
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static DefaultSecDispatcher dispatcher(String secFile) {
        Map<String, Cipher> ciphers = Map.of(AESGCMNoPadding.CIPHER_ALG, new AESGCMNoPadding());
        Map<String, MasterSource> sources = Map.of(
                EnvMasterSource.NAME, new EnvMasterSource(),
                FileMasterSource.NAME, new FileMasterSource(),
                SystemPropertyMasterSource.NAME, new SystemPropertyMasterSource());
        Map<String, Dispatcher> dispatchers = Map.of(
                MasterDispatcher.NAME, new MasterDispatcher(ciphers, sources),
                LegacyDispatcher.NAME, new LegacyDispatcher());
        return new DefaultSecDispatcher(dispatchers, Paths.get(secFile));
    }

    static String read(String secFile) throws Exception {
        SettingsSecurity sec = SecUtil.read(Paths.get(secFile));
        if (sec == null) return "fail: no file";
        Map<String, String> master = SecUtil.getConfig(sec, MasterDispatcher.NAME);
        String source = master == null ? null : master.get("source");
        String cipher = master == null ? null : master.get("cipher");
        return "ok " + b64OrNone(sec.getDefaultDispatcher()) + " " + b64OrNone(source) + " " + b64OrNone(cipher);
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
                        answer = "ok " + dispatcher(f[2]).encrypt(unb64(f[1]), null);
                        break;
                    case "decrypt":
                        answer = "ok " + b64(dispatcher(f[2]).decrypt(unb64(f[1])));
                        break;
                    case "kind":
                        DefaultSecDispatcher d = dispatcher("/nonexistent/settings-security4.xml");
                        String value = unb64(f[1]);
                        answer = d.isEncryptedString(value) ? "maven4" : d.isLegacyEncryptedString(value) ? "legacy" : "none";
                        break;
                    case "read":
                        answer = read(f[1]);
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

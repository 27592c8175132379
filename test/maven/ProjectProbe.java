import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import org.apache.maven.model.DeploymentRepository;
import org.apache.maven.model.Model;
import org.apache.maven.model.Repository;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.building.DefaultModelBuildingRequest;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;

/**
 * Asks Maven's own code what it makes of a project: which mirror its resolver puts in front of a repository,
 * and which repositories a pom declares once Maven has built its model. Tab-separated requests on stdin:
 *
 *   mirror SETTINGS ID_B64 URL_B64 LAYOUT  -> "ok MIRROR_ID_B64", or "ok -" when no mirror applies
 *   pom FILE PROFILE                       -> "ok" and " SECTION:ID_B64:URL_B64" for each repository of the
 *                                             effective model with PROFILE active ("-": none named), the
 *                                             super POM's central left out
 *
 * "mirror" builds the effective settings with Maven's settings builder and selects as Maven 3's
 * DefaultRepositorySystemSessionFactory sets the resolver up (each settings mirror added in order).
 */
public class ProjectProbe {
    static String b64(String s) {
        return Base64.getEncoder().encodeToString((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static Settings settings(File file) throws Exception {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(file);
        request.setGlobalSettingsFile(new File("/nonexistent/anypoint-m2/global-settings.xml"));
        request.setSystemProperties(System.getProperties());
        return new DefaultSettingsBuilderFactory().newInstance().build(request).getEffectiveSettings();
    }

    static String mirror(File file, String id, String url, String layout) throws Exception {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror m : settings(file).getMirrors()) {
            selector.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts());
        }
        RemoteRepository chosen = selector.getMirror(new RemoteRepository.Builder(id, layout, url).build());
        return "ok " + (chosen == null ? "-" : b64(chosen.getId()));
    }

    static String pom(File file, String profile) throws Exception {
        DefaultModelBuildingRequest request = new DefaultModelBuildingRequest();
        request.setPomFile(file);
        request.setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MINIMAL);
        request.setProcessPlugins(false);
        request.setSystemProperties(System.getProperties());
        if (!profile.equals("-")) request.setActiveProfileIds(Collections.singletonList(profile));
        Model model = new DefaultModelBuilderFactory().newInstance().build(request).getEffectiveModel();
        List<String> out = new ArrayList<>();
        for (Repository r : model.getRepositories()) {
            if (!r.getId().equals("central")) out.add("repositories:" + b64(r.getId()) + ":" + b64(r.getUrl()));
        }
        for (Repository r : model.getPluginRepositories()) {
            if (!r.getId().equals("central")) out.add("pluginRepositories:" + b64(r.getId()) + ":" + b64(r.getUrl()));
        }
        if (model.getDistributionManagement() != null) {
            DeploymentRepository release = model.getDistributionManagement().getRepository();
            DeploymentRepository snapshot = model.getDistributionManagement().getSnapshotRepository();
            if (release != null) out.add("distributionManagement.repository:" + b64(release.getId()) + ":" + b64(release.getUrl()));
            if (snapshot != null) out.add("distributionManagement.snapshotRepository:" + b64(snapshot.getId()) + ":" + b64(snapshot.getUrl()));
        }
        StringBuilder answer = new StringBuilder("ok");
        for (String r : out) answer.append(' ').append(r);
        return answer.toString();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String answer;
            try {
                if (f[0].equals("mirror")) answer = mirror(new File(f[1]), unb64(f[2]), unb64(f[3]), f[4]);
                else if (f[0].equals("pom")) answer = pom(new File(f[1]), f[2]);
                else answer = "fail: unknown request " + f[0];
            } catch (Exception e) {
                answer = "fail: " + e.getMessage();
            }
            System.out.println(answer.replace("\n", "\\n"));
            System.out.flush();
        }
    }
}

package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.plinth.check.api.Fields;
import dev.plinth.check.net.ClusterPods;

/** Reading pod templates and containers out of rendered workloads, with their field paths. */
final class Workloads {
    private Workloads() {
    }

    /** A pod template inside an object: its path ("spec.template"), labels and pod spec. */
    record PodTemplate(RenderedObject owner, String path, Map<String, Object> labels, Map<String, Object> spec) {
        String specPath() {
            return path.isEmpty() ? "spec" : path + ".spec";
        }
    }

    /** A container with its path ("spec.template.spec.containers[0]"). */
    record Container(PodTemplate pod, String path, Map<String, Object> body) {
        String name() {
            return String.valueOf(body.get("name"));
        }
    }

    static PodTemplate podTemplate(RenderedObject o) {
        ClusterPods.Template t = ClusterPods.template(o);
        if (t == null) return null;
        return new PodTemplate(o, t.path(), map(map(t.template().get("metadata")).get("labels")), map(t.template().get("spec")));
    }

    /**
     * The pod templates of custom resources whose operator creates pods from them: a
     * FlinkDeployment's common, JobManager and TaskManager templates.
     */
    static List<PodTemplate> operatorPodTemplates(RenderedObject o) {
        if (!o.kind().equals("FlinkDeployment") || !o.group().equals("flink.apache.org")) return List.of();
        Map<String, Object> spec = map(o.body().get("spec"));
        List<PodTemplate> out = new ArrayList<>();
        for (String[] at : List.of(new String[]{"spec.podTemplate", null}, new String[]{"spec.jobManager.podTemplate", "jobManager"},
                new String[]{"spec.taskManager.podTemplate", "taskManager"})) {
            Map<String, Object> template = map(at[1] == null ? spec.get("podTemplate") : map(spec.get(at[1])).get("podTemplate"));
            if (!template.isEmpty()) out.add(new PodTemplate(o, at[0], map(map(template.get("metadata")).get("labels")), map(template.get("spec"))));
        }
        return out;
    }

    /** Init containers, then containers. */
    static List<Container> containers(PodTemplate pod) {
        List<Container> out = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            List<Object> list = list(pod.spec().get(field));
            for (int i = 0; i < list.size(); i++) {
                out.add(new Container(pod, pod.specPath() + "." + field + "[" + i + "]", map(list.get(i))));
            }
        }
        return out;
    }

    /** True when every selector label is among the labels. */
    static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        if (selector.isEmpty()) return false;
        for (Map.Entry<String, Object> e : selector.entrySet()) {
            if (!String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey())))) return false;
        }
        return true;
    }

    static Map<String, Object> map(Object o) {
        return Fields.map(o);
    }

    static List<Object> list(Object o) {
        return Fields.list(o);
    }
}

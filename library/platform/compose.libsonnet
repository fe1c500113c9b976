// Plinth's glue: renders a component and applies its traits in order. Each trait may patch
// every object of the component (`patch`, return null to drop one) and add objects (`objects`,
// which sees the patched component objects in ctx.component.objects). A trait whose appliesTo
// matches neither the component type nor a kind the component renders is skipped and reported
// by name in `inapplicable`, so the user gets "applies to ..." instead of an evaluation error.
// Then the NetworkPolicies of the component's declared uses (plinth.usePolicies).
local plinth = import '../lib/plinth.libsonnet';
local kafkaUser = import '../components/kafka-user.libsonnet';

{
  component(def, ctx0, props, traits)::
    // operator-managed types name the labels of the pods their operator creates
    local ctx = if std.objectHasAll(def, 'podSelector') then ctx0 { component+: { podSelector: def.podSelector(ctx0, props) } } else ctx0;
    local base = def.render(ctx, props);
    assert std.isArray(base) : 'render() must return an array of objects';
    local kinds = std.set([o.kind for o in base if std.isObject(o) && std.objectHas(o, 'kind')]);
    local applies(t) =
      std.length([a for a in t.appliesTo if a == '*' || a == ctx.component.type || std.setMember(a, kinds)]) > 0;
    local step(acc, t) =
      if !applies(t) then acc { traits+: [[]], inapplicable+: [t.type] }
      else
        local tctx = ctx { component+: { objects: acc.component } };
        local patched =
          if std.objectHasAll(t.def, 'patch')
          then std.filter(function(o) o != null, [t.def.patch(o, t.props, tctx) for o in acc.component])
          else acc.component;
        local pctx = ctx { component+: { objects: patched } };
        local added = if std.objectHasAll(t.def, 'objects') then t.def.objects(t.props, pctx) else [];
        assert std.isArray(added) : 'trait ' + t.type + ': objects() must return an array of objects';
        acc { component: patched, traits+: [added] };
    local composed = std.foldl(step, traits, { component: base, traits: [], inapplicable: [], kinds: kinds });
    // the rules of the component's declared uses, after the traits (which patch workloads), and
    // the KafkaUsers of its uses of topics, whose credentials its pods get
    local kafka = kafkaUser.forUses(ctx);
    local login(o) =
      if std.length(kafka.env) + std.length(kafka.volumes) == 0 then o
      else plinth.patchPod(o, function(t) {
        spec+: {
          containers: [
            c + (if std.length(kafka.env) > 0 then { env: (if std.objectHas(c, 'env') then c.env else []) + kafka.env } else {})
            + (if std.length(kafka.mounts) > 0 then { volumeMounts: (if std.objectHas(c, 'volumeMounts') then c.volumeMounts else []) + kafka.mounts } else {})
            for c in t.spec.containers
          ],
        } + (if std.length(kafka.volumes) > 0 then { volumes: (if std.objectHas(t.spec, 'volumes') then t.spec.volumes else []) + kafka.volumes } else {}),
      });
    composed { component: [login(o) for o in composed.component] + plinth.usePolicies(ctx) + kafka.users },
}

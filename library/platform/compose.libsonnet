// Plinth's glue: renders a component and applies its traits in order. Each trait may patch
// every object of the component (`patch`, return null to drop one) and add objects (`objects`,
// which sees the patched component objects in ctx.component.objects).
{
  component(def, ctx, props, traits)::
    local base = def.render(ctx, props);
    assert std.isArray(base) : 'render() must return an array of objects';
    local step(acc, t) =
      local tctx = ctx { component+: { objects: acc.component } };
      local patched =
        if std.objectHasAll(t.def, 'patch')
        then std.filter(function(o) o != null, [t.def.patch(o, t.props, tctx) for o in acc.component])
        else acc.component;
      local pctx = ctx { component+: { objects: patched } };
      local added = if std.objectHasAll(t.def, 'objects') then t.def.objects(t.props, pctx) else [];
      assert std.isArray(added) : 'trait ' + t.type + ': objects() must return an array of objects';
      { component: patched, traits: acc.traits + [added] };
    std.foldl(step, traits, { component: base, traits: [] })
    + { kinds: std.set([o.kind for o in base]) },
}

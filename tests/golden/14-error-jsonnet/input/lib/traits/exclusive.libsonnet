// A trait that cannot be combined with autoscale.
{
  parameters: {},
  conflictsWith: ['autoscale'],
  patch(obj, props, ctx):: obj,
}

{
  parameters: {},
  objects(props, ctx):: error 'this trait always fails',
}

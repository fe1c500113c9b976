{
  parameters: {,
}

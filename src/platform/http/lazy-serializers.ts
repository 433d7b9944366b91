import SerializerSelector from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's response serializers (fast-json-stringify), each compiled on the first answer of its route
 * and status rather than at start-up: a node holds the code of the answers it gives, not of all ~200.
 * A first answer costs the compilation (a millisecond or so), once per route and status.
 */
export function lazySerializers(): SerializerSelector.SerializerFactory {
  const eager = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = eager(externalSchemas, options);
    return (route) => {
      let serialize: SerializerSelector.Serializer | undefined;
      return (doc) => (serialize ??= compile(route))(doc);
    };
  };
}

import { createRequire } from 'node:module';

import type * as GrpcJs from '@grpc/grpc-js';
import type * as CodePb from '@eventstore/db-client/generated/code_pb.js';
import type * as ServerFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as StreamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

// The client package ships its generated gRPC stubs as CommonJS files with no
// `exports` map. They are loaded from the client's own folder, so that the
// emulator serializes with the very message classes (and the same
// @grpc/grpc-js and google-protobuf) that the client deserializes with.
// They are internals of the client: its version is pinned exactly.
const fromHere = createRequire(import.meta.url);
const fromClient = createRequire(
  fromHere.resolve('@eventstore/db-client/generated/streams_pb.js'),
);

export const grpc = fromClient('@grpc/grpc-js') as typeof GrpcJs;
export const streamsPb = fromClient('./streams_pb.js') as typeof StreamsPb;
export const streamsGrpc = fromClient(
  './streams_grpc_pb.js',
) as typeof StreamsGrpc;
export const sharedPb = fromClient('./shared_pb.js') as typeof SharedPb;
export const statusPb = fromClient('./status_pb.js') as typeof StatusPb;
export const codePb = fromClient('./code_pb.js') as typeof CodePb;
export const serverFeaturesPb = fromClient(
  './serverfeatures_pb.js',
) as typeof ServerFeaturesPb;
export const serverFeaturesGrpc = fromClient(
  './serverfeatures_grpc_pb.js',
) as typeof ServerFeaturesGrpc;
export const anyPb = fromClient(
  'google-protobuf/google/protobuf/any_pb.js',
) as typeof AnyPb;
export const emptyPb = fromClient(
  'google-protobuf/google/protobuf/empty_pb.js',
) as typeof EmptyPb;

import type { Server, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';

import { EmulatedLog } from './emulated-log.js';
import type { LogRecord } from './emulated-log.js';
import {
  grpc,
  serverFeaturesGrpc,
  serverFeaturesPb,
  streamsGrpc,
} from './generated.js';
import { readHandler } from './read-handlers.js';
import type { LiveSubscription, SubscriptionStart } from './read-handlers.js';
import { seedSystemEvents, writeStatsEvent } from './system-events.js';
import { writeHandlers } from './write-handlers.js';

/** The version the emulator reports; the client only logs it. */
const SERVER_VERSION = '23.10.0';
const HOST = '127.0.0.1';

/** The methods the emulator serves, named as a real server lists them. */
const SUPPORTED_METHODS: readonly (readonly [string, string])[] = [
  ['event_store.client.streams.streams', 'read'],
  ['event_store.client.streams.streams', 'append'],
  ['event_store.client.streams.streams', 'batchappend'],
  ['event_store.client.streams.streams', 'delete'],
  ['event_store.client.streams.streams', 'tombstone'],
  ['event_store.client.server_features.serverfeatures', 'getsupportedmethods'],
];

/** Options of {@link EsdbWireEmulator}. */
export interface EsdbWireEmulatorOptions {
  /** The port on 127.0.0.1; 0, the default, takes a free one. */
  readonly port?: number;
  /** Bytes of data and metadata one append may carry. Defaults to 1 MiB. */
  readonly maxAppendSize?: number;
  /**
   * Writes a `$statsCollected` system event after every this many client
   * appends, so that system events also appear between the client's
   * events, as a node's periodic statistics do. Off by default.
   */
  readonly statsEvery?: number;
  /** The clock for `created`. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** How the emulator ends the subscriptions it drops. */
export type DropReason = 'unavailable' | 'cancelled';

/**
 * The EventStoreDB wire emulator: test support, not a database. A gRPC
 * server on 127.0.0.1 built from the client package's own generated
 * service definitions, answering the streams service (Append, BatchAppend,
 * Read, Delete, Tombstone) and ServerFeatures as a single insecure node
 * does, with every event in memory. It can drop its subscriptions and be
 * stopped and started again on the same port with its data, to exercise
 * a client's recovery.
 *
 * Limitation: results against it are wire emulator results. It does not
 * model, so they cannot prove: clustering, gossip and leader changes; ACLs,
 * authentication and TLS (insecure only, credentials ignored);
 * performance, durability and scavenging (`$maxCount`, `$maxAge` and `$tb`
 * hide events from stream reads, nothing ever leaves `$all`); persistent
 * subscriptions, projections and the other services; call deadlines;
 * explicit transactions and links (`resolveLinkTos` is ignored); the
 * bounded id cache behind idempotent `any` appends (it remembers every
 * id); dropping slow consumers by itself, or sending fell-behind (it
 * drops only on demand); and whatever else drifts between it and a real
 * server. The contract suite also runs against a real server when
 * ESDB_CONNECTION_STRING is set.
 */
export class EsdbWireEmulator {
  private readonly log: EmulatedLog;
  private readonly live = new Set<LiveSubscription>();
  private server: Server | undefined;
  private boundPort: number;
  private readonly calls = new Map<string, number>();
  private readonly starts: SubscriptionStart[] = [];
  private appends = 0;

  private constructor(private readonly options: EsdbWireEmulatorOptions) {
    this.boundPort = options.port ?? 0;
    this.log = new EmulatedLog({
      maxAppendSize: options.maxAppendSize ?? 1024 * 1024,
      now: options.now ?? Date.now,
      onAppended: () => {
        this.countAppend();
      },
    });
    seedSystemEvents(this.log);
  }

  /** Starts an emulator holding only the system events of a fresh node. */
  static async start(
    options: EsdbWireEmulatorOptions = {},
  ): Promise<EsdbWireEmulator> {
    const emulator = new EsdbWireEmulator(options);
    await emulator.start();
    return emulator;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The connection string of an insecure single node at this emulator. */
  get connectionString(): string {
    return `esdb://${HOST}:${this.boundPort}?tls=false`;
  }

  /** Test support: see {@link EmulatedLog.tamperWithStream}. */
  tamperWithStream(
    streamId: string,
    edit: (records: LogRecord[]) => LogRecord[],
  ): void {
    this.log.tamperWithStream(streamId, edit);
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Listens again, on the same port once it has one, with the same data. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = new grpc.Server();
    server.addService(
      streamsGrpc.StreamsService,
      this.counted({
        read: readHandler(this.log, this.live, (from) => {
          this.starts.push(from);
        }),
        ...writeHandlers(this.log),
      }),
    );
    server.addService(
      serverFeaturesGrpc.ServerFeaturesService,
      this.counted({ getSupportedMethods: supportedMethods }),
    );
    this.boundPort = await bind(server, this.boundPort);
    this.server = server;
  }

  /**
   * Stops at once, as a crashed node does: open calls end with UNAVAILABLE
   * on the client. The data stays for {@link start}.
   */
  stop(): Promise<void> {
    this.live.forEach((subscription) => {
      subscription.abort();
    });
    this.live.clear();
    this.server?.forceShutdown();
    this.server = undefined;
    return Promise.resolve();
  }

  /**
   * Ends every open read and subscription with UNAVAILABLE or CANCELLED,
   * as a node does to consumers it drops; returns how many it ended.
   */
  dropSubscriptions(reason: DropReason = 'unavailable'): number {
    const code =
      reason === 'unavailable'
        ? grpc.status.UNAVAILABLE
        : grpc.status.CANCELLED;
    const dropped = [...this.live];
    this.live.clear();
    dropped.forEach((subscription) => {
      subscription.drop({
        code,
        details: 'Subscription dropped by the EventStoreDB wire emulator',
        metadata: new grpc.Metadata(),
      });
    });
    return dropped.length;
  }

  /** How many reads and subscriptions are open. */
  get openReads(): number {
    return this.live.size;
  }

  /** Appends a `$statsCollected` event to `$all`, as a node does periodically. */
  writeSystemEvent(): void {
    writeStatsEvent(this.log);
  }

  /**
   * Where each `$all` subscription so far asked to start, in order: a
   * commit position it resumes after, or `start` or `end`.
   */
  get allSubscriptionStarts(): readonly SubscriptionStart[] {
    return this.starts;
  }

  /** How many calls each method (`append`, `batchAppend`, `read`...) received. */
  callsTo(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  private counted<Handlers extends UntypedServiceImplementation>(
    handlers: Handlers,
  ): Handlers {
    const entries = Object.entries(handlers).map(([method, handler]) => [
      method,
      (...args: unknown[]) => {
        this.calls.set(method, this.callsTo(method) + 1);
        return (handler as (...args: unknown[]) => unknown)(...args);
      },
    ]);
    return Object.fromEntries(entries) as Handlers;
  }

  private countAppend(): void {
    const every = this.options.statsEvery;
    this.appends += 1;
    if (every !== undefined && this.appends % every === 0) {
      writeStatsEvent(this.log);
    }
  }
}

const supportedMethods: IServerFeaturesServer['getSupportedMethods'] = (
  _call,
  callback,
) => {
  const methods = new serverFeaturesPb.SupportedMethods();
  methods.setEventStoreServerVersion(SERVER_VERSION);
  SUPPORTED_METHODS.forEach(([service, method]) => {
    methods.addMethods(
      new serverFeaturesPb.SupportedMethod()
        .setServiceName(service)
        .setMethodName(method),
    );
  });
  callback(null, methods);
};

function bind(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(
      `${HOST}:${port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => {
        if (error) reject(error);
        else resolve(bound);
      },
    );
  });
}

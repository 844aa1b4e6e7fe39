import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';

import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { EventPublisher } from './bus/event-publisher.js';
import { TokenResolver } from './auth/token-registry.js';
import { ChangeOrganizationHandler } from './commands/change-organization.handler.js';
import { Clock } from './commands/clock.js';
import { ConsoleController } from './console/console.controller.js';
import { CommandGateway } from './commands/command-gateway.js';
import { CreateOrganizationHandler } from './commands/create-organization.handler.js';
import { NameReservations } from './commands/name-reservations.js';
import {
  EVENT_STORE,
  ORGANIZATION_REPOSITORY,
  OrganizationStreams,
} from './commands/organization-streams.js';
import { REPLY_STORE } from './commands/replies/reply-store.js';
import { APP_CONFIG } from './config/app-config.token.js';
import type { AppConfig } from './config/configuration.js';
import { KeyShredder } from './erasure/key-shredder.js';
import { HealthController } from './health/health.controller.js';
import { AuditController } from './http/audit.controller.js';
import { IntegrityController } from './http/integrity.controller.js';
import { DigestLog } from './integrity/digest-log.js';
import { DigestSchedule } from './integrity/digest-schedule.js';
import { IntegrityQueries } from './integrity/integrity-queries.js';
import { loadSigningKey, SIGNING_KEY } from './integrity/signing-key.js';
import { ProjectionsController } from './http/projections.controller.js';
import { type ReadModels } from './read-models/open-read-models.js';
import {
  AUDIT_HISTORY,
  ORGANIZATION_DIRECTORY,
  PROJECTION_RUNNERS,
} from './read-models/read-models.tokens.js';
import { ReadModelQueries } from './queries/read-model-queries.js';
import { DeletionExecutor } from './scheduling/deletion-executor.js';
import { CommandsController } from './http/commands.controller.js';
import { OrganizationsController } from './http/organizations.controller.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import {
  organizationRepository,
  type Stores,
} from './infrastructure/stores.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { Metrics } from './metrics/metrics.js';
import { OrganizationQueries } from './queries/organization-queries.js';

const STORES = Symbol('Stores');
const READ_MODELS = Symbol('ReadModels');

/** What the application is built from; tests pass their own clock and stores. */
export interface AppParts {
  readonly config: AppConfig;
  readonly stores: Stores;
  readonly tokens: TokenResolver;
  readonly clock: Clock;
  readonly readModels: ReadModels;
}

/**
 * Starts the projections and the key shredder once the app is up; stops
 * the shredder, closes read models, then stores.
 */
@Injectable()
class StoresLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly shredder: KeyShredder,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { directory, audit } = this.readModels.runners;
    await Promise.all([
      directory.start(),
      audit.start(),
      this.shredder.start(),
    ]);
    this.metrics.watchProjections([directory, audit]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shredder.stop();
    await this.readModels.close();
    await this.stores.close();
  }
}

@Module({})
export class AppModule {
  /**
   * The module of the application; `busController` answers the bus when
   * the configuration turns it on (see `createApp`).
   */
  static with(parts: AppParts, busController?: Type): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        MetricsController,
        CommandsController,
        OrganizationsController,
        ...(busController === undefined ? [] : [busController]),
        AuditController,
        ProjectionsController,
        IntegrityController,
        ConsoleController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: parts.config },
        { provide: STORES, useValue: parts.stores },
        { provide: READ_MODELS, useValue: parts.readModels },
        {
          provide: ORGANIZATION_DIRECTORY,
          useValue: parts.readModels.models.directory,
        },
        { provide: AUDIT_HISTORY, useValue: parts.readModels.models.audit },
        { provide: PROJECTION_RUNNERS, useValue: parts.readModels.runners },
        { provide: EVENT_STORE, useValue: parts.stores.events },
        {
          provide: KeyShredder,
          useValue: new KeyShredder(parts.stores.events, parts.stores.keys),
        },
        { provide: REPLY_STORE, useValue: parts.stores.replies },
        {
          provide: ORGANIZATION_REPOSITORY,
          useValue: organizationRepository(parts.stores, parts.config),
        },
        { provide: TokenResolver, useValue: parts.tokens },
        { provide: SIGNING_KEY, useValue: loadSigningKey(parts.config) },
        { provide: Clock, useValue: parts.clock },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        StoresLifecycle,
        BearerAuthGuard,
        Metrics,
        OrganizationStreams,
        NameReservations,
        CommandGateway,
        CreateOrganizationHandler,
        ChangeOrganizationHandler,
        OrganizationQueries,
        EventPublisher,
        ReadModelQueries,
        IntegrityQueries,
        DigestLog,
        DigestSchedule,
        DeletionExecutor,
      ],
    };
  }
}

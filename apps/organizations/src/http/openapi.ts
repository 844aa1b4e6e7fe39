import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { commandJsonSchemas } from '@org/contracts';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';

const DOCS = '/docs';

/**
 * Serves the OpenAPI document and its browser at `/docs`, made on the
 * first request there: `@nestjs/swagger` takes about a third of a second
 * to load and the document some more, which a start need not wait for.
 * Registered before the application's routes, so that it comes before
 * Nest's handler of unknown routes.
 */
export function setUpOpenApi(app: INestApplication): void {
  let docs: Promise<RequestHandler> | undefined;
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.path !== DOCS && !request.path.startsWith(`${DOCS}/`)) {
      next();
      return;
    }
    docs ??= docsRouter(app);
    docs.then(
      (router) => {
        router(request, response, next);
      },
      (error: unknown) => {
        docs = undefined;
        next(error);
      },
    );
  });
}

async function docsRouter(app: INestApplication): Promise<RequestHandler> {
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  const config = new DocumentBuilder()
    .setTitle('Organizations service')
    .setDescription(
      'Commands change organizations; every refusal is a problem document with a stable code.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = commandJsonSchemas({
    refPointerPrefix: '#/components/schemas/',
  });
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...(schemas as Record<string, object>),
    },
  };
  const router = express.Router();
  SwaggerModule.setup('docs', routerApp(router), document, {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return router;
}

// SwaggerModule.setup registers its routes through the application's HTTP
// adapter and its static assets through the application; this stands for
// the application with an adapter over a router of its own, which the
// middleware above calls.
function routerApp(router: express.Router): INestApplication {
  const adapter = new ExpressAdapter(router);
  const app = {
    getHttpAdapter: () => adapter,
    useStaticAssets: (path: string, options: { prefix?: string }): void => {
      adapter.useStaticAssets(path, options);
    },
  };
  return app as unknown as INestApplication;
}

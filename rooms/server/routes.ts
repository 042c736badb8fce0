// HTTP routes beside matchmaking: operations endpoints, the public room list,
// and the web client (or a status page when it has not been built).

import { existsSync } from "node:fs";
import path from "node:path";
import compression from "compression";
import express, { type Application, type Response } from "express";
import { matchMaker } from "@colyseus/core";
import type { Config } from "./config.ts";
import { errorAnswers, jsonError, notFound } from "./httpErrors.ts";
import type { Lifecycle } from "./lifecycle.ts";
import type { Logger } from "./logger.ts";
import { registry } from "../kit/metrics.ts";
import type { RoomListingMetadata } from "../kit/protocol.ts";
import { statusPage } from "./statusPage.ts";

export interface RouteDeps {
  config: Config;
  lifecycle: Lifecycle;
  log: Logger;
  /** Room names of the games served. */
  games: readonly string[];
}

export interface PublicRoom {
  roomId: string;
  /** The game: its room name, e.g. "snek". */
  name: string;
  /** Players holding a seat. */
  clients: number;
  /** Player seats (MAX_PLAYERS). */
  maxClients: number;
  spectators: number;
}

/** Public rooms of every game served, in one list. */
export async function listPublicRooms(games: readonly string[]): Promise<PublicRoom[]> {
  const rooms = await matchMaker.query({ private: false });
  return rooms
    .filter((r) => games.includes(r.name))
    .map((r) => {
      // Colyseus' own client count includes spectators; the room's listing counts each kind.
      const seats = r.metadata as Partial<RoomListingMetadata> | undefined;
      return { roomId: r.roomId, name: r.name, clients: seats?.players ?? r.clients, maxClients: r.maxClients, spectators: seats?.spectators ?? 0 };
    });
}

export function mountRoutes(app: Application, { config, lifecycle, log, games }: RouteDeps): void {
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  app.use(compression());

  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok\n");
  });

  app.get("/readyz", async (_req, res) => {
    const reason = await lifecycle.readiness();
    res.status(reason === undefined ? 200 : 503).type("text/plain").send(reason === undefined ? "ready\n" : `not ready: ${reason}\n`);
  });

  app.get("/metrics", async (req, res, next) => {
    // For Prometheus on the pod network only. Every proxy in front of players (our edge, an
    // Ingress controller, a cloud load balancer, a Gateway) adds X-Forwarded-For; a scrape does not.
    if (req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined) return next();
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.get("/api/rooms", async (_req, res) => {
    noCache(res);
    try {
      res.json(await listPublicRooms(games));
    } catch (error) {
      log.warn({ err: (error as Error).message }, "room list query failed");
      res.status(503).set("retry-after", "1").json(jsonError(503, "the room list is unavailable; try again shortly"));
    }
  });

  const dist = path.resolve(config.webDist);
  if (existsSync(path.join(dist, "index.html"))) {
    app.use(express.static(dist, {
      index: "index.html",
      setHeaders: (res, file) => {
        // Vite fingerprints everything under assets/, so those never change; the page itself must be re-checked.
        if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        else noCache(res);
      },
    }));
  } else {
    app.get("/", (_req, res) => {
      noCache(res);
      res.type("html").send(statusPage(dist));
    });
  }
  app.use(notFound);
  app.use(errorAnswers(log));
}

function noCache(res: Response): void {
  res.setHeader("Cache-Control", "no-cache");
}

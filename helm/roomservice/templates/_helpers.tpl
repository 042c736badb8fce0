{{/*
Names, labels and the few derived facts every template shares. Each fact is
computed here once so templates (and the tests) cannot disagree about it.
*/}}

{{- define "roomservice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Prefix of every object name. Cut to 52 characters, not the usual 63: the
StatefulSet controller adds "controller-revision-hash: <name>-<10 chars>" to
each pod and that label value must fit in 63 characters. Pod names (and so the
public routes /<pod-name>) are "<fullname>-<ordinal>".
*/}}
{{- define "roomservice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "roomservice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels for every object; pass a dict with "ctx" (root) and "component". */}}
{{- define "roomservice.labels" -}}
helm.sh/chart: {{ include "roomservice.chart" .ctx }}
{{ include "roomservice.selectorLabels" . }}
{{- with .ctx.Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: roomservice
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels never change across upgrades: a StatefulSet selector is immutable. */}}
{{- define "roomservice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "roomservice.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "roomservice.commonAnnotations" -}}
{{- with .Values.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "roomservice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "roomservice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A digest pins the exact image even if the tag is pushed again. */}}
{{- define "roomservice.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "roomservice.redis.image" -}}
{{- if .Values.redis.image.digest -}}
{{- printf "%s@%s" .Values.redis.image.repository .Values.redis.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.redis.image.repository .Values.redis.image.tag -}}
{{- end -}}
{{- end -}}

{{- define "roomservice.headlessServiceName" -}}
{{- printf "%s-headless" (include "roomservice.fullname" .) -}}
{{- end -}}

{{- define "roomservice.redis.fullname" -}}
{{- printf "%s-redis" (include "roomservice.fullname" .) -}}
{{- end -}}

{{/*
Highest number of pods that can exist at once. One Service and one route is
rendered per ordinal below it; StatefulSet ordinals are contiguous from 0, so
whatever the HPA picks between min and max is covered.
*/}}
{{- define "roomservice.maxReplicas" -}}
{{- if .Values.autoscaling.enabled -}}
{{- .Values.autoscaling.maxReplicas | int -}}
{{- else -}}
{{- .Values.replicaCount | int -}}
{{- end -}}
{{- end -}}

{{- define "roomservice.routingConfigMapName" -}}
{{- printf "%s-routing" (include "roomservice.fullname" .) -}}
{{- end -}}

{{/* Where the pods find the routed pod count: a directory mount, so updates arrive in place. */}}
{{- define "roomservice.routingMountPath" -}}
/etc/roomservice/routing
{{- end -}}

{{/* Pod name of an ordinal; pass a dict with "ctx" and "ordinal". */}}
{{- define "roomservice.podName" -}}
{{- printf "%s-%d" (include "roomservice.fullname" .ctx) (int .ordinal) -}}
{{- end -}}

{{/* "true" when rooms can move on SIGTERM: migration is on and the pods share a Redis to move them through. */}}
{{- define "roomservice.migrates" -}}
{{- if and .Values.migration.enabled (include "roomservice.redis.configured" .) -}}
true
{{- end -}}
{{- end -}}

{{/*
The one formula for a stopping pod's timeline, as YAML (read it through the
two helpers below). After the preStop sleep, SIGTERM:
- with migration, each room first moves (snapshot to Redis, successor created
  on another pod, a seat there for every player). That takes well under a
  second; moveSeconds bounds it by Colyseus' remote calls, which give up after
  2 s each (create the successor, then reserve the seats);
- then each room runs its drain bound, DRAIN_SECONDS: a moved room stays until
  its players have followed, a room that could not move lets them play on.
  A player whose connection dropped just before the move comes back to the old
  room within RECONNECT_SECONDS and is sent on from there; the successor keeps
  that seat for RECONNECT_SECONDS + 5 s. So when rooms can move, DRAIN_SECONDS
  is at least reconnectSeconds + 5, or such a player would find the old room gone;
- marginSeconds covers the server's own slack past the drain (5 s) and exiting.
A pod exits as soon as its rooms are empty, so a generous bound costs nothing
when moves succeed: it only caps how long Kubernetes waits before SIGKILL.
*/}}
{{- define "roomservice.termination" -}}
{{- $drainSeconds := int .Values.drain.seconds -}}
{{- $moveSeconds := 0 -}}
{{- if include "roomservice.migrates" . -}}
{{- $drainSeconds = max $drainSeconds (add .Values.server.reconnectSeconds 5) -}}
{{- $moveSeconds = 5 -}}
{{- end -}}
drainSeconds: {{ $drainSeconds }}
moveSeconds: {{ $moveSeconds }}
terminationGracePeriodSeconds: {{ add .Values.drain.preStopSleepSeconds $moveSeconds $drainSeconds .Values.drain.marginSeconds }}
{{- end -}}

{{/* DRAIN_SECONDS as the pods get it: drain.seconds, raised for migration (see roomservice.termination). */}}
{{- define "roomservice.drainSeconds" -}}
{{- (include "roomservice.termination" . | fromYaml).drainSeconds | int -}}
{{- end -}}

{{/* How long Kubernetes waits before SIGKILL; always covers the preStop sleep, the moves and the drain. */}}
{{- define "roomservice.terminationGracePeriodSeconds" -}}
{{- (include "roomservice.termination" . | fromYaml).terminationGracePeriodSeconds | int -}}
{{- end -}}

{{/* "true" when the pods get a REDIS_URL, bundled or external. */}}
{{- define "roomservice.redis.configured" -}}
{{- if or .Values.redis.enabled .Values.externalRedis.url .Values.externalRedis.host -}}
true
{{- end -}}
{{- end -}}

{{/* Lowercased: Ingress and HTTPRoute hosts must be, and PUBLIC_HOST must match them. */}}
{{- define "roomservice.publicHostname" -}}
{{- lower .Values.public.host -}}
{{- end -}}

{{/* host[:port] players use: the server's PUBLIC_HOST, and the base of every replica's public address. */}}
{{- define "roomservice.publicHost" -}}
{{- if .Values.public.host -}}
{{- if .Values.public.port -}}
{{- printf "%s:%d" (include "roomservice.publicHostname" .) (int .Values.public.port) -}}
{{- else -}}
{{- include "roomservice.publicHostname" . -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "roomservice.publicScheme" -}}
{{- if or .Values.public.tls (and .Values.ingress.enabled .Values.ingress.tls.enabled) -}}
https
{{- else -}}
http
{{- end -}}
{{- end -}}

{{/*
The URL a player's browser opens. Without public.host there is a single
replica and no public address, so in-cluster clients can use the main Service.
*/}}
{{- define "roomservice.publicUrl" -}}
{{- if .Values.public.host -}}
{{- printf "%s://%s" (include "roomservice.publicScheme" .) (include "roomservice.publicHost" .) -}}
{{- else -}}
{{- printf "http://%s.%s.svc:%d" (include "roomservice.fullname" .) .Release.Namespace (int .Values.service.port) -}}
{{- end -}}
{{- end -}}

{{/*
Environment variables the chart owns. extraEnv may not set them: a second
definition would silently win over (or lose to) the chart's, and the routes
rendered here would no longer match the addresses the pods announce.
*/}}
{{- define "roomservice.managedEnvNames" -}}
PORT HOST TICK_HZ MAX_PLAYERS MAX_SPECTATORS ROOM_BOTS RECONNECT_SECONDS DRAIN_SECONDS MIGRATE_ON_DRAIN LOG_LEVEL REDIS_URL REDIS_PASSWORD REDIS_CLUSTER PUBLIC_ADDRESS PUBLIC_HOST REPLICA_NAME REPLICA_VERSION ROUTED_REPLICAS_FILE NODE_OPTIONS
{{- end -}}

{{/* "true" when the Ingress is served by an AWS Application Load Balancer (IngressClass or the older annotation). */}}
{{- define "roomservice.ingress.alb" -}}
{{- $annotated := index .Values.ingress.annotations "kubernetes.io/ingress.class" | default "" -}}
{{- if and .Values.ingress.enabled (or (eq .Values.ingress.className "alb") (eq $annotated "alb")) -}}
true
{{- end -}}
{{- end -}}

{{/*
Every combination that would render but not work. All problems are reported
at once, each naming the values to change.
*/}}
{{- define "roomservice.validateValues" -}}
{{- $errors := list -}}
{{- $redis := include "roomservice.redis.configured" . -}}
{{- $ext := .Values.externalRedis -}}
{{- if and (not $redis) (or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1)) -}}
{{- $what := ternary "autoscaling.enabled=true" (printf "replicaCount=%d" (int .Values.replicaCount)) .Values.autoscaling.enabled -}}
{{- $errors = append $errors (printf "%s needs Redis: replicas find each other's rooms and seats through it. Set externalRedis.url, or externalRedis.host (with externalRedis.existingSecret for a password), or redis.enabled=true for a demo." $what) -}}
{{- end -}}
{{- if and $redis (not .Values.public.host) -}}
{{- $errors = append $errors "Redis is configured but public.host is empty: with several replicas each pod must announce its own public address (<public.host>/<pod-name>), or about half of all joins reach a replica that does not own the room. Set public.host to the hostname players use." -}}
{{- end -}}
{{- if and $ext.url $ext.host -}}
{{- $errors = append $errors "externalRedis.url and externalRedis.host are both set: use one (url for a full redis:// URL, host/port with existingSecret for a password kept in a Secret)." -}}
{{- end -}}
{{- if and .Values.redis.enabled (or $ext.url $ext.host) -}}
{{- $errors = append $errors "redis.enabled=true (bundled Redis) and externalRedis are both set: choose one." -}}
{{- end -}}
{{- if $ext.cluster -}}
{{- if not (or $ext.url $ext.host) -}}
{{- $errors = append $errors "externalRedis.cluster=true needs an external Redis in cluster mode: set externalRedis.url or externalRedis.host to a seed node (the bundled Redis is a single node)." -}}
{{- end -}}
{{- $db := int $ext.db -}}
{{- if $ext.url -}}
{{- $path := trimPrefix "/" (urlParse $ext.url).path -}}
{{- $db = int (default "0" $path) -}}
{{- end -}}
{{- if ne $db 0 -}}
{{- $errors = append $errors (printf "externalRedis.cluster=true with database %d: Redis Cluster has only database 0. Give each release its own cluster instead." $db) -}}
{{- end -}}
{{- end -}}
{{- if and $ext.existingSecret (not $ext.host) -}}
{{- $errors = append $errors "externalRedis.existingSecret is only read together with externalRedis.host; set externalRedis.host (and port), or put the password inside externalRedis.url instead." -}}
{{- end -}}
{{- if .Values.autoscaling.enabled -}}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
{{- $errors = append $errors (printf "autoscaling.minReplicas (%d) is greater than autoscaling.maxReplicas (%d)." (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if and (not .Values.autoscaling.targetCPUUtilizationPercentage) (not .Values.autoscaling.targetClientsPerPod) -}}
{{- $errors = append $errors "autoscaling.enabled=true but no metric is set: set autoscaling.targetCPUUtilizationPercentage and/or autoscaling.targetClientsPerPod." -}}
{{- end -}}
{{- $cpuRequest := dig "requests" "cpu" "" .Values.resources -}}
{{- if and .Values.autoscaling.targetCPUUtilizationPercentage (not $cpuRequest) -}}
{{- $errors = append $errors "autoscaling.targetCPUUtilizationPercentage needs resources.requests.cpu: CPU utilization is measured against the request." -}}
{{- end -}}
{{- end -}}
{{- if and .Values.gateway.enabled (not .Values.gateway.parentRefs) -}}
{{- $errors = append $errors "gateway.enabled=true needs gateway.parentRefs: the Gateway(s) the HTTPRoute attaches to, e.g. [{name: public-gateway, namespace: gateway-system}]." -}}
{{- end -}}
{{- if and .Values.gateway.enabled .Values.gke.gatewayPolicies.enabled .Values.gateway.timeouts -}}
{{- $errors = append $errors "gateway.timeouts is set with gke.gatewayPolicies.enabled=true: GKE Gateway refuses any HTTPRoute that sets timeouts, which would take every route down. Remove gateway.timeouts; the backend timeout comes from gke.timeoutSec (GCPBackendPolicy)." -}}
{{- end -}}
{{- $hc := .Values.gke.healthCheck -}}
{{- if and (or .Values.gke.backendConfig.enabled .Values.gke.gatewayPolicies.enabled) (gt (int $hc.timeoutSec) (int $hc.checkIntervalSec)) -}}
{{- $errors = append $errors (printf "gke.healthCheck.timeoutSec (%d) is greater than gke.healthCheck.checkIntervalSec (%d): Google refuses a health check that waits longer than its interval." (int $hc.timeoutSec) (int $hc.checkIntervalSec)) -}}
{{- end -}}
{{- if and .Values.gke.backendConfig.enabled .Values.gke.gatewayPolicies.enabled -}}
{{- $errors = append $errors "gke.backendConfig.enabled and gke.gatewayPolicies.enabled are both true: BackendConfig is for GCE Ingress, the policies for GKE Gateway; turn on the one your routes use." -}}
{{- end -}}
{{- $routed := int (include "roomservice.maxReplicas" .) -}}
{{- if and (include "roomservice.ingress.alb" .) (gt $routed 98) -}}
{{- $errors = append $errors (printf "%s=%d with an ALB Ingress (class alb): the ALB needs one target group per routed pod plus one for the main Service, and an ALB holds at most 100 target groups (not adjustable). Keep it at 98 or less (one target group stays free for a default backend or another Ingress in the same IngressGroup), or split players over several releases." (ternary "autoscaling.maxReplicas" "replicaCount" .Values.autoscaling.enabled) $routed) -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.public.host) -}}
{{- $errors = append $errors "ingress.tls.enabled=true needs public.host: a TLS certificate is issued for a hostname." -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.minAvailable .Values.podDisruptionBudget.maxUnavailable -}}
{{- $errors = append $errors "podDisruptionBudget.minAvailable and podDisruptionBudget.maxUnavailable are both set: Kubernetes accepts only one." -}}
{{- end -}}
{{- $fullname := include "roomservice.fullname" . -}}
{{- if not (regexMatch "^[a-z]([a-z0-9-]*[a-z0-9])?$" $fullname) -}}
{{- $errors = append $errors (printf "resource name %q must start with a lowercase letter and contain only lowercase letters, digits and '-': pod names become REPLICA_NAME and public paths. Pick another release name or set fullnameOverride." $fullname) -}}
{{- end -}}
{{- $managed := splitList " " (include "roomservice.managedEnvNames" .) -}}
{{- range .Values.server.extraEnv -}}
{{- if has .name $managed -}}
{{- $errors = append $errors (printf "server.extraEnv sets %s, which the chart manages; use the chart's values (server.*, drain.*, migration.*, public.*, externalRedis.*) instead." .name) -}}
{{- end -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nroomservice: invalid values:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}

{{/*
REDIS_URL (and, for a password kept in an existing Secret, REDIS_PASSWORD) for
the server container. Kubernetes expands $(REDIS_PASSWORD) only from variables
defined earlier in the list, so REDIS_PASSWORD must come first.
*/}}
{{- define "roomservice.redisEnv" -}}
{{- $ext := .Values.externalRedis -}}
{{- if .Values.redis.enabled -}}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379/0" (include "roomservice.redis.fullname" .) | quote }}
{{- else if $ext.url -}}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "roomservice.fullname" . }}
      key: redis-url
{{- else if $ext.host -}}
{{- $userinfo := "" -}}
{{- if $ext.existingSecret -}}
{{- $userinfo = printf "%s:$(REDIS_PASSWORD)@" $ext.username -}}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $ext.existingSecret }}
      key: {{ $ext.existingSecretPasswordKey }}
{{ else if $ext.username -}}
{{- $userinfo = printf "%s@" $ext.username -}}
{{- end -}}
- name: REDIS_URL
  value: {{ printf "%s://%s%s:%d/%d" (ternary "rediss" "redis" $ext.tls) $userinfo $ext.host (int $ext.port) (int $ext.db) | quote }}
{{- end -}}
{{- end -}}

{{/* Port the pods connect to Redis on, read from the URL when one is given (for the NetworkPolicy). */}}
{{- define "roomservice.redis.port" -}}
{{- if .Values.redis.enabled -}}
6379
{{- else if .Values.externalRedis.url -}}
{{- $hostPort := (urlParse .Values.externalRedis.url).host -}}
{{- if regexMatch ":[0-9]+$" $hostPort -}}
{{- regexFind "[0-9]+$" $hostPort -}}
{{- else -}}
6379
{{- end -}}
{{- else -}}
{{- .Values.externalRedis.port | int -}}
{{- end -}}
{{- end -}}

{{/*
Renders a value that may hold template expressions (the Bitnami
"tplvalues.render" convention): pass a dict with "value" and "context". Lets
values files use chart facts, e.g. an annotation that sizes a load
balancer's deregistration delay with roomservice.terminationGracePeriodSeconds.
*/}}
{{- define "roomservice.tplvalues.render" -}}
{{- if typeIs "string" .value -}}
{{- tpl .value .context -}}
{{- else -}}
{{- tpl (toYaml .value) .context -}}
{{- end -}}
{{- end -}}

{{/*
Annotations of a Service or Ingress: those the chart sets ("extra", YAML), then
its own values (rendered with tpl), then commonAnnotations; pass "ctx",
"annotations" and optionally "extra".
*/}}
{{- define "roomservice.annotations" -}}
{{- $own := dict -}}
{{- with .annotations -}}
{{- $own = include "roomservice.tplvalues.render" (dict "value" . "context" $.ctx) | fromYaml -}}
{{- end -}}
{{- $extra := dict -}}
{{- with .extra -}}
{{- $extra = . | fromYaml -}}
{{- end -}}
{{- $merged := merge (dict) $extra $own .ctx.Values.commonAnnotations -}}
{{- with $merged -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}

{{/*
Seconds Google's load balancers keep sending to, and keep the connections of,
a backend that is leaving: the whole grace period, so a stopping pod keeps its
sockets while its rooms move and drain. Google caps it at one hour.
*/}}
{{- define "roomservice.gke.drainingTimeoutSec" -}}
{{- if .Values.gke.connectionDrainingSec -}}
{{- .Values.gke.connectionDrainingSec | int -}}
{{- else -}}
{{- min 3600 (include "roomservice.terminationGracePeriodSeconds" . | int) -}}
{{- end -}}
{{- end -}}

{{/*
Annotations the chart adds to a routed Service for the cloud objects below
(the BackendConfig a GCE Ingress reads is named after the Service); pass
"ctx" and "service".
*/}}
{{- define "roomservice.cloudServiceAnnotations" -}}
{{- if .ctx.Values.gke.backendConfig.enabled -}}
cloud.google.com/backend-config: {{ dict "default" .service | toJson | quote }}
{{- end -}}
{{- end -}}

{{/*
The cloud objects of one routed Service, rendered beside it (in the same loop
for the per-pod Services): a BackendConfig for GCE Ingress, or a
GCPBackendPolicy and a HealthCheckPolicy for GKE Gateway. Pass "ctx",
"service" (its name) and "healthPath": /readyz for the main Service (only pods
taking new rooms), /healthz for a per-pod Service (its pod, draining or not,
still owns live games). Without a health check of its own, GCE copies the
readiness probe, /readyz, and would drop a draining pod's players.
*/}}
{{- define "roomservice.gke.backendObjects" -}}
{{- $ctx := .ctx -}}
{{- $gke := $ctx.Values.gke -}}
{{- $hc := $gke.healthCheck -}}
{{- $labels := include "roomservice.labels" (dict "ctx" $ctx "component" "server") -}}
{{- if $gke.backendConfig.enabled }}
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata:
  name: {{ .service }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- $labels | nindent 4 }}
  {{- with $ctx.Values.commonAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  timeoutSec: {{ $gke.timeoutSec }}
  connectionDraining:
    drainingTimeoutSec: {{ include "roomservice.gke.drainingTimeoutSec" $ctx }}
  healthCheck:
    type: HTTP
    requestPath: {{ .healthPath }}
    port: {{ $ctx.Values.server.containerPort }}
    checkIntervalSec: {{ $hc.checkIntervalSec }}
    timeoutSec: {{ $hc.timeoutSec }}
    healthyThreshold: {{ $hc.healthyThreshold }}
    unhealthyThreshold: {{ $hc.unhealthyThreshold }}
{{- end }}
{{- if $gke.gatewayPolicies.enabled }}
---
apiVersion: networking.gke.io/v1
kind: GCPBackendPolicy
metadata:
  name: {{ .service }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- $labels | nindent 4 }}
  {{- with $ctx.Values.commonAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  default:
    timeoutSec: {{ $gke.timeoutSec }}
    connectionDraining:
      drainingTimeoutSec: {{ include "roomservice.gke.drainingTimeoutSec" $ctx }}
  targetRef:
    group: ""
    kind: Service
    name: {{ .service }}
---
apiVersion: networking.gke.io/v1
kind: HealthCheckPolicy
metadata:
  name: {{ .service }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- $labels | nindent 4 }}
  {{- with $ctx.Values.commonAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  default:
    checkIntervalSec: {{ $hc.checkIntervalSec }}
    timeoutSec: {{ $hc.timeoutSec }}
    healthyThreshold: {{ $hc.healthyThreshold }}
    unhealthyThreshold: {{ $hc.unhealthyThreshold }}
    config:
      type: HTTP
      httpHealthCheck:
        portSpecification: USE_SERVING_PORT
        requestPath: {{ .healthPath }}
  targetRef:
    group: ""
    kind: Service
    name: {{ .service }}
{{- end }}
{{- end -}}

// A synthetic DevOps library for the search bench: deterministic, Zipf-like
// word frequencies, a long tail of identifiers (as real technical writing
// has), YAML/HCL code blocks and about 8.5 KB of text per article.
import type { Article, ArticleContent } from '../../lib/db/types';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TECH = (
  'kubernetes docker container pod deployment scheduler etcd helm chart terraform ansible prometheus grafana loki jaeger ' +
  'istio linkerd envoy nginx ingress service mesh cluster node namespace kubelet kubectl apiserver controller operator ' +
  'argocd flux gitops jenkins pipeline github actions gitlab runner cache artifact registry image layer build ' +
  'postgres mysql redis kafka rabbitmq replication failover backup snapshot restore latency throughput observability ' +
  'tracing metrics logging alerting dashboard slo sli error budget incident postmortem oncall pager runbook toil ' +
  'autoscaling hpa vpa karpenter spot instance aws gcp azure lambda serverless vpc subnet peering dns route53 ' +
  'certificate tls mtls vault secret rotation iam policy rbac role binding admission webhook gatekeeper opa ' +
  'rollout rollback canary blue green feature flag release versioning semver changelog migration schema ' +
  'cgroup namespace kernel ebpf cilium calico cni csi volume persistent storage class stateful daemonset job cronjob ' +
  'probe readiness liveness startup resource limit request quota eviction taint toleration affinity topology ' +
  'sidecar init container entrypoint dockerfile multistage distroless scanning vulnerability sbom supply chain ' +
  'terragrunt module provider state lock drift plan apply workspace backend bucket dynamodb cloudformation pulumi ' +
  'ansible playbook inventory idempotent systemd journald syslog fluentd fluentbit vector opentelemetry collector ' +
  'sre devops platform engineering developer experience toolchain monorepo microservice api gateway rate limiting'
).split(' ');

const CODE = (
  'maxUnavailable maxSurge kube-system kube-proxy replicaSet readinessProbe livenessProbe imagePullPolicy apiVersion ' +
  'containerPort targetPort nodeSelector serviceAccountName terminationGracePeriodSeconds initialDelaySeconds ' +
  'aws_s3_bucket aws_iam_role terraform_remote_state depends_on for_each count.index var.region ' +
  'CrashLoopBackOff ImagePullBackOff OOMKilled PodDisruptionBudget HorizontalPodAutoscaler ConfigMap ' +
  'app.kubernetes.io/name metadata.labels spec.template.spec kubectl_apply helm_release values.yaml Chart.yaml'
).split(' ');

const COMMON = (
  'the a an of to in and or for with on at by from as is are was were be been it this that these those we you they ' +
  'our your their can will should would could may might must not no yes if then else when while because so but also ' +
  'more most less very much many few some any all each every other another same different new old first last next ' +
  'how what why which who where use used using make made run running runs set get got see seen look find found ' +
  'work works worked team teams time times way ways thing things problem problems solution approach result results ' +
  'production staging environment config configuration change changes update updates issue issues fix fixed test tests ' +
  'simple easy hard fast slow better worse good bad large small high low important critical default custom ' +
  'example examples step steps guide explained deep dive lessons learned part introduction overview practice practices'
).split(' ');

const SYLLABLES = 'ka ri to ne mo sa lu ve di zo pa fi gre tor lin dex vor ban qui sel mar pol tek nax rud'.split(' ');

/** A tail word: service names, pseudo-words, ticket ids and short hashes. */
function tailWord(i: number): string {
  const r = prng(i * 7919 + 13);
  const kind = i % 4;
  const syl = () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]!;
  if (kind === 0) return `${syl()}${syl()}${syl()}`;
  if (kind === 1) return `svc-${syl()}${syl()}-${i % 97}`;
  if (kind === 2) return `${syl()}${syl()}${i % 1000}`;
  return Math.floor(r() * 0xfffffff).toString(16).padStart(7, '0');
}

const TAIL_SIZE = 120_000;

/** Zipf-ish pick: index i with weight about 1/(i+1). */
function zipf(r: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1)) - 1));
}

const TITLE_TEMPLATES = [
  (a: string, b: string) => `${cap(a)} ${cap(b)} Explained`,
  (a: string, b: string) => `How We Cut ${cap(a)} Costs with ${cap(b)}`,
  (a: string, b: string) => `A Deep Dive into ${cap(a)} and ${cap(b)}`,
  (a: string, b: string) => `${cap(a)} in Production: Lessons Learned from ${cap(b)}`,
  (a: string, b: string) => `Debugging ${cap(a)} ${cap(b)} Failures`,
  (a: string, b: string) => `Migrating from ${cap(a)} to ${cap(b)}`,
];

function cap(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export interface SyntheticArticle {
  article: Article;
  content: ArticleContent;
}

const AUTHORS = Array.from({ length: 300 }, (_, i) => `${cap(tailWord(i * 4))} ${cap(tailWord(i * 4 + 8))}`);
const FEEDS = Array.from({ length: 60 }, (_, i) => ({ id: `feed-${i}`, name: `${cap(TECH[i % TECH.length]!)} Weekly` }));

export function generateLibrary(count: number, seed = 42, textBytes = 8500): SyntheticArticle[] {
  return [...generateArticles(count, seed, textBytes)];
}

/** The same articles as generateLibrary, one at a time, so a 50,000-article library need not be held at once. */
export function* generateArticles(count: number, seed = 42, textBytes = 8500): Generator<SyntheticArticle> {
  const r = prng(seed);
  const pickTech = () => TECH[zipf(r, TECH.length)]!;
  const start = Date.UTC(2021, 0, 1);
  for (let n = 0; n < count; n++) {
    const a = pickTech();
    let b = pickTech();
    if (b === a) b = TECH[(TECH.indexOf(a) + 1) % TECH.length]!;
    const title = TITLE_TEMPLATES[n % TITLE_TEMPLATES.length]!(a, b);
    // Each article has its own slice of the tail, as real posts have their own names.
    const ownTail = Array.from({ length: 12 }, () => tailWord(Math.floor(r() * TAIL_SIZE)));
    const parts: string[] = [];
    let size = 0;
    while (size < textBytes) {
      const para = r() < 0.12 ? codeBlock(r) : sentence(r, a, b, ownTail, pickTech);
      parts.push(para);
      size += para.length + 2;
    }
    const text = parts.join('\n\n').slice(0, textBytes);
    const feed = FEEDS[n % FEEDS.length]!;
    const sortAt = start + n * 3_600_000 * 7 + Math.floor(r() * 3_600_000);
    const id = `art-${String(n).padStart(5, '0')}`;
    yield {
      article: {
        id,
        url: `https://blog${n % 50}.example/${a}-${b}-${n}`,
        guid: `guid-${n}`,
        feedId: n % 3 === 0 ? undefined : feed.id,
        source: n % 3 === 0 ? 'clip' : 'feed',
        box: n % 3 === 0 ? 'saved' : n % 5 === 0 ? 'archive' : 'inbox',
        title,
        author: AUTHORS[n % AUTHORS.length],
        siteName: feed.name,
        excerpt: text.slice(0, 200),
        tags: [a, b].slice(0, 1 + (n % 2)),
        publishedAt: sortAt,
        savedAt: sortAt,
        sortAt,
        wordCount: Math.round(textBytes / 6.5),
        readingMinutes: 6,
        isRead: n % 4 === 0 ? 1 : 0,
        starred: n % 17 === 0 ? 1 : 0,
        progress: 0,
        isPreview: 0,
        isReply: 0,
        offline: 'ready',
      },
      content: { id, html: '', text },
    };
  }
}

function sentence(r: () => number, a: string, b: string, ownTail: string[], pickTech: () => string): string {
  const words: string[] = [];
  const length = 80 + Math.floor(r() * 60);
  for (let i = 0; i < length; i++) {
    const x = r();
    if (x < 0.5) words.push(COMMON[zipf(r, COMMON.length)]!);
    else if (x < 0.62) words.push(r() < 0.5 ? a : b);
    else if (x < 0.84) words.push(pickTech());
    else if (x < 0.88) words.push(CODE[zipf(r, CODE.length)]!);
    else if (x < 0.95) words.push(ownTail[Math.floor(r() * ownTail.length)]!);
    else words.push(tailWord(zipf(r, TAIL_SIZE)));
  }
  words[0] = cap(words[0]!);
  return words.join(' ') + '.';
}

function codeBlock(r: () => number): string {
  const replicas = 1 + Math.floor(r() * 5);
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${tailWord(Math.floor(r() * TAIL_SIZE))}`,
    '  namespace: kube-system',
    'spec:',
    `  replicas: ${replicas}`,
    '  strategy:',
    '    rollingUpdate:',
    `      maxUnavailable: ${Math.floor(r() * 2)}`,
    '      maxSurge: 1',
  ].join('\n');
}

/** The fixed bench queries: exact, misspelt, multi-word, code tokens and an unfinished word. */
export const QUERIES = [
  'kubernetes',
  'etcd backup',
  'terraform state',
  'prometheus alerting',
  'helm chart',
  'kubernets schedular',
  'promethues',
  'terrafrom drift',
  'ansibel playbook',
  'grafana dashbord',
  'rolling update deployment',
  'service mesh istio',
  'postgres replication failover',
  'pipeline cache artifact',
  'maxUnavailable',
  'kube-system',
  'readinessProbe',
  'imagePullPolicy',
  'aws_s3_bucket',
  'kubern',
];

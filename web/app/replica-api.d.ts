// The interface of the wasm replica (web/app/pkg/microcos_web.js, wasm-bindgen
// --target web output of web/replica). tsconfig maps "microcos-replica" to the
// real pkg when it exists and to this file otherwise; esbuild always bundles
// the real one.
export interface InitInput {
  module_or_path?: string | URL | Request | Response | BufferSource | WebAssembly.Module;
}
export default function init(input?: InitInput): Promise<unknown>;
export class Replica {
  constructor(userId: string);
  static restore(userId: string, cacheJson: string): Replica;
  cacheJson(): string;
  seq(): number;
  cursorQuery(): string;
  frame(frameJson: string): string;
  propose(bodyJson: string, nowMs: number): string;
  reject(clientActionId: string): void;
  viewJson(nowMs: number): string;
  free(): void;
}

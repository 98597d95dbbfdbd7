// web/node_modules/zod/v4/core/util.js
function getEnumValues(entries) {
  const numericValues = Object.values(entries).filter((v) => typeof v === "number");
  const values = Object.entries(entries).filter(([k, _]) => numericValues.indexOf(+k) === -1).map(([_, v]) => v);
  return values;
}
function jsonStringifyReplacer(_, value) {
  if (typeof value === "bigint")
    return value.toString();
  return value;
}
var Cached = class {
  constructor(getter) {
    this._getter = getter;
    this._value = void 0;
  }
  get value() {
    const getter = this._getter;
    if (getter !== void 0) {
      this._value = getter();
      this._getter = void 0;
    }
    return this._value;
  }
};
function cached(getter) {
  return new Cached(getter);
}
function cleanRegex(source) {
  const start = source.startsWith("^") ? 1 : 0;
  const end = source.endsWith("$") ? source.length - 1 : source.length;
  return source.slice(start, end);
}
function assignProp(target, prop, value) {
  Object.defineProperty(target, prop, {
    value,
    writable: true,
    enumerable: true,
    configurable: true
  });
}
function rawShape(def) {
  const desc = Object.getOwnPropertyDescriptor(def, "shape");
  return desc?.get ? desc.get.raw : desc?.value;
}
var captureStackTrace = "captureStackTrace" in Error ? Error.captureStackTrace : (..._args) => {
};
function isObject(data) {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}
var propertyKeyTypes = /* @__PURE__ */ new Set(["string", "number", "symbol"]);
function escapeRegex(str) {
  return str.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function clone(inst, def, params) {
  const cl = new inst._zod.constr(def ?? inst._zod.def);
  if (!def || params?.parent)
    cl._zod.parent = inst;
  return cl;
}
function normalizeParams(_params) {
  const params = _params;
  if (!params)
    return {};
  if (typeof params === "string")
    return { error: () => params };
  if (params?.message !== void 0) {
    if (params?.error !== void 0)
      throw new Error("Cannot specify both `message` and `error` params");
    params.error = params.message;
  }
  delete params.message;
  if (typeof params.error === "string")
    return { ...params, error: () => params.error };
  return params;
}
function optionalKeys(shape) {
  return Object.keys(shape).filter((k) => {
    return shape[k]._zod.optin !== void 0 && shape[k]._zod.optout === "optional";
  });
}
var NUMBER_FORMAT_RANGES = /* @__PURE__ */ (() => ({
  safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  float32: [-34028234663852886e22, 34028234663852886e22],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE]
}))();
function aborted(x, startIndex = 0) {
  if (x.aborted === true)
    return true;
  for (let i = startIndex; i < x.issues.length; i++) {
    if (x.issues[i]?.continue !== true) {
      return true;
    }
  }
  return false;
}
function explicitlyAborted(x, startIndex = 0) {
  if (x.aborted === true)
    return true;
  for (let i = startIndex; i < x.issues.length; i++) {
    if (x.issues[i]?.continue === false) {
      return true;
    }
  }
  return false;
}
function prefixIssues(path, issues) {
  return issues.map((iss) => {
    var _a2;
    (_a2 = iss).path ?? (_a2.path = []);
    iss.path.unshift(path);
    return iss;
  });
}
function unwrapMessage(message) {
  return typeof message === "string" ? message : message?.message;
}
function sizeCaps(defChecks) {
  const caps = [];
  for (const ch of defChecks ?? []) {
    const d = ch._zod.def;
    if (!/_(length|size)$|_equals$/.test(d.check))
      break;
    const max = d.maximum ?? d.length ?? d.size;
    if (max >= 0)
      caps.push([max, ch]);
  }
  return caps;
}
function attachSchema(issues, start, inst) {
  var _a2;
  for (let i = start; i < issues.length; i++) {
    (_a2 = issues[i]).schema ?? (_a2.schema = inst);
  }
}
function finalizeIssue(iss, ctx, config2) {
  var _a2;
  const traits = iss.inst?._zod?.traits;
  if (traits?.has("$ZodType")) {
    if (traits.has("$ZodCheck"))
      (_a2 = iss).schema ?? (_a2.schema = iss.inst);
    else
      iss.schema = iss.inst;
  }
  const schemaError = iss.schema !== iss.inst ? iss.schema?._zod.def?.error : void 0;
  const message = iss.message ? iss.message : unwrapMessage(iss.inst?._zod.def?.error?.(iss)) ?? unwrapMessage(schemaError?.(iss)) ?? unwrapMessage(ctx?.error?.(iss)) ?? unwrapMessage(config2.customError?.(iss)) ?? unwrapMessage(config2.localeError?.(iss)) ?? "Invalid input";
  const full = {};
  for (const k of Object.keys(iss)) {
    if (k === "inst" || k === "schema" || k === "continue" || k === "input" || k === "__proto__")
      continue;
    full[k] = iss[k];
  }
  full.path ?? (full.path = []);
  full.message = message;
  if (ctx?.reportInput) {
    full.input = iss.input;
  }
  return full;
}
function issue(...args) {
  const [iss, input, inst] = args;
  if (typeof iss === "string") {
    return {
      message: iss,
      code: "custom",
      input,
      inst
    };
  }
  return { ...iss };
}
function members(proto, table) {
  for (const key in table) {
    const desc = Object.getOwnPropertyDescriptor(table, key);
    if (desc.get)
      Object.defineProperty(proto, key, { ...desc, enumerable: false });
    else
      defineBound(proto, key, desc.value);
  }
}
function own(inst, key, value, enumerable = true) {
  Object.defineProperty(inst, key, { configurable: true, writable: true, enumerable, value });
  return value;
}
function hide(inst, key, value) {
  return own(inst, key, value, false);
}
function defineBound(proto, key, fn) {
  Object.defineProperty(proto, key, {
    configurable: true,
    get() {
      return this == null ? fn : own(this, key, fn.bind(this));
    },
    set(value) {
      own(this, key, value);
    }
  });
}
function claim(inst, sentinel) {
  const proto = Object.getPrototypeOf(inst);
  return sentinel in proto ? void 0 : proto;
}
var installing;
var broke = false;
var breaker = {
  configurable: true,
  get() {
    broke = true;
    return void 0;
  }
};
function defineLazyInternal(inst, key, compute) {
  const proto = Object.getPrototypeOf(inst._zod);
  if (key in proto && installing !== inst._zod) {
    installing = void 0;
    return;
  }
  installing = inst._zod;
  Object.defineProperty(proto, key, {
    configurable: true,
    get() {
      Object.defineProperty(this, key, breaker);
      const outer = broke;
      broke = false;
      try {
        const value = compute(this);
        if (broke)
          delete this[key];
        else
          Object.defineProperty(this, key, { configurable: true, writable: true, value });
        broke = broke || outer;
        return value;
      } catch (err) {
        delete this[key];
        broke = broke || outer;
        throw err;
      }
    },
    set(value) {
      Object.defineProperty(this, key, { configurable: true, writable: true, value });
    }
  });
}
function installLazyProp(inst, key, make, enumerable) {
  const proto = claim(inst, key);
  if (!proto)
    return;
  Object.defineProperty(proto, key, {
    configurable: true,
    get() {
      const desc = { configurable: true, writable: true, enumerable, value: void 0 };
      Object.defineProperty(this, key, desc);
      desc.value = make(this);
      Object.defineProperty(this, key, desc);
      return desc.value;
    },
    set(value) {
      Object.defineProperty(this, key, { configurable: true, writable: true, enumerable, value });
    }
  });
}

// web/node_modules/zod/v4/core/core.js
var _a;
var _zodDesc = { value: void 0, enumerable: false };
var _E = "captureStackTrace" in Error ? Error : null;
function newError(Definition) {
  const E = _E;
  if (E) {
    const saved = E.stackTraceLimit;
    if (typeof saved === "number") {
      try {
        E.stackTraceLimit = 0;
      } catch {
        _E = null;
        return new Definition();
      }
      try {
        return new Definition();
      } finally {
        E.stackTraceLimit = saved;
      }
    }
  }
  return new Definition();
}
// @__NO_SIDE_EFFECTS__
function $constructor(name, initializer2, proto, params) {
  const zodProto = {};
  function Internals(def) {
    this.def = def;
    this.constr = _;
    this.traits = /* @__PURE__ */ new Set();
  }
  Internals.prototype = zodProto;
  const protoMembers = proto;
  const initialized = protoMembers && /* @__PURE__ */ new WeakSet();
  function init(inst, def) {
    if (!inst._zod) {
      _zodDesc.value = new Internals(def);
      try {
        Object.defineProperty(inst, "_zod", _zodDesc);
      } finally {
        _zodDesc.value = void 0;
      }
    } else if (inst._zod.traits.has(name)) {
      return;
    }
    inst._zod.traits.add(name);
    initializer2(inst, def);
    if (initialized) {
      const own2 = Object.getPrototypeOf(inst);
      const ctorProto = inst._zod.constr.prototype;
      let up = own2;
      while (up && up !== ctorProto)
        up = Object.getPrototypeOf(up);
      const target = up ?? own2;
      if (!initialized.has(target)) {
        initialized.add(target);
        members(target, protoMembers);
      }
    }
    const proto2 = _.prototype;
    for (const k in proto2) {
      if (!Object.prototype.hasOwnProperty.call(proto2, k))
        continue;
      if (!(k in inst)) {
        inst[k] = proto2[k].bind(inst);
      }
    }
  }
  const Parent = params?.Parent ?? Object;
  class Definition extends Parent {
  }
  Object.defineProperty(Definition, "name", { value: name });
  function _(def) {
    const inst = params?.Parent ? newError(Definition) : this;
    init(inst, def);
    const deferred = inst._zod.deferred;
    if (deferred) {
      for (const fn of deferred) {
        fn();
      }
      inst._zod.deferred = void 0;
    }
    const pp = globalThis.__zod_globalConfig?.postProcessor;
    if (pp)
      pp(inst);
    return inst;
  }
  Object.defineProperty(_, "init", { value: init });
  Object.defineProperty(_, Symbol.hasInstance, {
    value: (inst) => {
      if (params?.Parent && inst instanceof params.Parent)
        return true;
      return inst?._zod?.traits?.has(name);
    }
  });
  Object.defineProperty(_, "name", { value: name });
  return _;
}
var $ZodAsyncError = class extends Error {
  constructor() {
    super(`Encountered Promise during synchronous parse. Use .parseAsync() instead.`);
  }
};
(_a = globalThis).__zod_globalConfig ?? (_a.__zod_globalConfig = {});
var globalConfig = globalThis.__zod_globalConfig;
function config(newConfig) {
  if (newConfig)
    Object.assign(globalConfig, newConfig);
  return globalConfig;
}

// web/node_modules/zod/v4/core/errors.js
function _getMessage() {
  const internals = this._zod;
  internals.message ?? (internals.message = JSON.stringify(internals.def, jsonStringifyReplacer, 2));
  return internals.message;
}
function _setMessage(value) {
  this._zod.message = value;
}
var _messageDesc = {
  get: _getMessage,
  set: _setMessage,
  enumerable: true,
  configurable: true
};
var _issuesDesc = { value: void 0, enumerable: false };
var _installedToString = /* @__PURE__ */ new WeakSet([Object.prototype, Error.prototype]);
var initializer = (inst, def) => {
  inst.name = "$ZodError";
  _issuesDesc.value = def;
  Object.defineProperty(inst, "issues", _issuesDesc);
  _issuesDesc.value = void 0;
  Object.defineProperty(inst, "message", _messageDesc);
  const proto = Object.getPrototypeOf(inst);
  if (!_installedToString.has(proto)) {
    _installedToString.add(proto);
    Object.defineProperty(proto, "toString", {
      configurable: true,
      enumerable: false,
      get() {
        const value = () => this.message;
        Object.defineProperty(this, "toString", { value, configurable: true, writable: true });
        return value;
      },
      set(value) {
        Object.defineProperty(this, "toString", { value, configurable: true, writable: true });
      }
    });
  }
};
var $ZodError = $constructor("$ZodError", initializer);
var $ZodRealError = $constructor("$ZodError", initializer, void 0, {
  Parent: Error
});

// web/node_modules/zod/v4/core/parse.js
var _parse = (_Err) => {
  const fn = (schema, value, _ctx, _params) => {
    const ctx = _ctx ? { ..._ctx, async: false } : { async: false };
    const result = schema._zod.run({ value, issues: [] }, ctx);
    if (result instanceof Promise) {
      throw new $ZodAsyncError();
    }
    if (result.issues.length) {
      const e = new (_params?.Err ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
      captureStackTrace(e, _params?.callee ?? fn);
      throw e;
    }
    return result.value;
  };
  return fn;
};
var parse = /* @__PURE__ */ _parse($ZodRealError);
var _parseAsync = (_Err) => {
  const fn = async (schema, value, _ctx, params) => {
    const ctx = _ctx ? { ..._ctx, async: true } : { async: true };
    let result = schema._zod.run({ value, issues: [] }, ctx);
    if (result instanceof Promise)
      result = await result;
    if (result.issues.length) {
      const e = new (params?.Err ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
      captureStackTrace(e, params?.callee ?? fn);
      throw e;
    }
    return result.value;
  };
  return fn;
};
var parseAsync = /* @__PURE__ */ _parseAsync($ZodRealError);
var _safeParse = (_Err) => (schema, value, _ctx) => {
  const ctx = _ctx ? { ..._ctx, async: false } : { async: false };
  const result = schema._zod.run({ value, issues: [] }, ctx);
  if (result instanceof Promise) {
    throw new $ZodAsyncError();
  }
  return result.issues.length ? failure(_Err, result.issues, ctx) : { success: true, data: result.value };
};
var safeParse = /* @__PURE__ */ _safeParse($ZodRealError);
function failure(Err, issues, ctx) {
  let error;
  return {
    success: false,
    get error() {
      if (!error) {
        error = new Err(issues.map((iss) => finalizeIssue(iss, ctx, config())));
        issues = void 0;
        ctx = void 0;
      }
      return error;
    },
    set error(e) {
      error = e;
      issues = void 0;
      ctx = void 0;
    }
  };
}
var _safeParseAsync = (_Err) => async (schema, value, _ctx) => {
  const ctx = _ctx ? { ..._ctx, async: true } : { async: true };
  let result = schema._zod.run({ value, issues: [] }, ctx);
  if (result instanceof Promise)
    result = await result;
  return result.issues.length ? failure(_Err, result.issues, ctx) : { success: true, data: result.value };
};
var safeParseAsync = /* @__PURE__ */ _safeParseAsync($ZodRealError);

// web/node_modules/zod/v4/core/regexes.js
var guid = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
var anyString = /^[\s\S]{0,}$/;
var number = /^-?\d+(?:\.\d+)?$/;
var boolean = /^(?:true|false)$/i;

// web/node_modules/zod/v4/core/checks.js
var $ZodCheck = /* @__PURE__ */ $constructor("$ZodCheck", (inst, def) => {
  var _a2;
  inst._zod ?? (inst._zod = {});
  inst._zod.def = def;
  (_a2 = inst._zod).onattach ?? (_a2.onattach = []);
});
var numericOriginMap = {
  number: "number",
  bigint: "bigint",
  object: "date"
};
var $ZodCheckLessThan = /* @__PURE__ */ $constructor("$ZodCheckLessThan", (inst, def) => {
  $ZodCheck.init(inst, def);
  const origin = numericOriginMap[typeof def.value];
  inst._zod.check = (payload) => {
    if (def.inclusive ? payload.value <= def.value : payload.value < def.value) {
      return;
    }
    payload.issues.push({
      origin: numericOriginMap[typeof payload.value] ?? origin,
      code: "too_big",
      maximum: typeof def.value === "object" ? def.value.getTime() : def.value,
      input: payload.value,
      inclusive: def.inclusive,
      inst,
      continue: !def.abort
    });
  };
});
var $ZodCheckGreaterThan = /* @__PURE__ */ $constructor("$ZodCheckGreaterThan", (inst, def) => {
  $ZodCheck.init(inst, def);
  const origin = numericOriginMap[typeof def.value];
  inst._zod.check = (payload) => {
    if (def.inclusive ? payload.value >= def.value : payload.value > def.value) {
      return;
    }
    payload.issues.push({
      origin: numericOriginMap[typeof payload.value] ?? origin,
      code: "too_small",
      minimum: typeof def.value === "object" ? def.value.getTime() : def.value,
      input: payload.value,
      inclusive: def.inclusive,
      inst,
      continue: !def.abort
    });
  };
});
var $ZodCheckNumberFormat = /* @__PURE__ */ $constructor("$ZodCheckNumberFormat", (inst, def) => {
  $ZodCheck.init(inst, def);
  def.format = def.format || "float64";
  const isInt = def.format?.includes("int");
  const origin = isInt ? "int" : "number";
  const [minimum, maximum] = NUMBER_FORMAT_RANGES[def.format];
  inst._zod.check = (payload) => {
    const input = payload.value;
    if (isInt) {
      if (!Number.isInteger(input)) {
        payload.issues.push({
          expected: origin,
          format: def.format,
          code: "invalid_type",
          continue: false,
          input,
          inst
        });
        return;
      }
      if (!Number.isSafeInteger(input)) {
        if (input > 0) {
          payload.issues.push({
            input,
            code: "too_big",
            maximum: Number.MAX_SAFE_INTEGER,
            note: "Integers must be within the safe integer range.",
            inst,
            origin,
            inclusive: true,
            continue: !def.abort
          });
        } else {
          payload.issues.push({
            input,
            code: "too_small",
            minimum: Number.MIN_SAFE_INTEGER,
            note: "Integers must be within the safe integer range.",
            inst,
            origin,
            inclusive: true,
            continue: !def.abort
          });
        }
        return;
      }
    }
    if (input < minimum) {
      payload.issues.push({
        origin: "number",
        input,
        code: "too_small",
        minimum,
        inclusive: true,
        inst,
        continue: !def.abort
      });
    }
    if (input > maximum) {
      payload.issues.push({
        origin: "number",
        input,
        code: "too_big",
        maximum,
        inclusive: true,
        inst,
        continue: !def.abort
      });
    }
  };
});
var $ZodCheckStringFormat = /* @__PURE__ */ $constructor("$ZodCheckStringFormat", (inst, def) => {
  var _a2, _b;
  $ZodCheck.init(inst, def);
  if (def.pattern)
    (_a2 = inst._zod).check ?? (_a2.check = (payload) => {
      def.pattern.lastIndex = 0;
      if (def.pattern.test(payload.value))
        return;
      payload.issues.push({
        origin: "string",
        code: "invalid_format",
        format: def.format,
        input: payload.value,
        ...def.pattern ? { pattern: def.pattern.toString() } : {},
        inst,
        continue: !def.abort
      });
    });
  else
    (_b = inst._zod).check ?? (_b.check = () => {
    });
});
var $ZodCheckRegex = /* @__PURE__ */ $constructor("$ZodCheckRegex", (inst, def) => {
  $ZodCheckStringFormat.init(inst, def);
  inst._zod.check = (payload) => {
    def.pattern.lastIndex = 0;
    if (def.pattern.test(payload.value))
      return;
    payload.issues.push({
      origin: "string",
      code: "invalid_format",
      format: "regex",
      input: payload.value,
      pattern: def.pattern.toString(),
      inst,
      continue: !def.abort
    });
  };
});

// web/node_modules/zod/v4/core/versions.js
var version = {
  major: 4,
  minor: 6,
  patch: 7
};

// web/node_modules/zod/v4/core/schemas.js
var $ZodType = /* @__PURE__ */ $constructor("$ZodType", (inst, def) => {
  var _a2;
  inst ?? (inst = {});
  inst._zod.def = def;
  inst._zod.bag = inst._zod.bag || {};
  inst._zod.version = version;
  const defChecks = inst._zod.def.checks;
  const checks = inst._zod.traits.has("$ZodCheck") ? [inst, ...defChecks ?? []] : defChecks?.length ? [...defChecks] : [];
  for (const ch of checks) {
    for (const fn of ch._zod.onattach) {
      fn(inst);
    }
  }
  if (checks.length === 0) {
    (_a2 = inst._zod).deferred ?? (_a2.deferred = []);
    inst._zod.deferred?.push(() => {
      inst._zod.run = inst._zod.parse;
    });
  } else {
    const runChecks = (payload, checks2, ctx) => {
      if (payload.memo)
        return payload;
      let isAborted = aborted(payload);
      let asyncResult;
      for (const ch of checks2) {
        if (ch._zod.def.when) {
          if (explicitlyAborted(payload))
            continue;
          const shouldRun = ch._zod.def.when(payload);
          if (!shouldRun)
            continue;
        } else if (isAborted) {
          continue;
        }
        const currLen = payload.issues.length;
        const _ = ch._zod.check(payload);
        if (_ instanceof Promise && ctx?.async === false) {
          throw new $ZodAsyncError();
        }
        if (asyncResult || _ instanceof Promise) {
          asyncResult = (asyncResult ?? Promise.resolve()).then(async () => {
            await _;
            const nextLen = payload.issues.length;
            if (nextLen === currLen)
              return;
            attachSchema(payload.issues, currLen, inst);
            if (!isAborted)
              isAborted = aborted(payload, currLen);
          });
        } else {
          const nextLen = payload.issues.length;
          if (nextLen === currLen)
            continue;
          attachSchema(payload.issues, currLen, inst);
          if (!isAborted)
            isAborted = aborted(payload, currLen);
        }
      }
      if (asyncResult) {
        return asyncResult.then(() => {
          return payload;
        });
      }
      return payload;
    };
    const handleCanaryResult = (canary, payload, ctx) => {
      if (aborted(canary)) {
        canary.aborted = true;
        return canary;
      }
      const checkResult = runChecks(payload, checks, ctx);
      if (checkResult instanceof Promise) {
        if (ctx.async === false)
          throw new $ZodAsyncError();
        return checkResult.then((checkResult2) => inst._zod.parse(checkResult2, ctx));
      }
      return inst._zod.parse(checkResult, ctx);
    };
    inst._zod.run = (payload, ctx) => {
      if (ctx.skipChecks) {
        return inst._zod.parse(payload, ctx);
      }
      if (ctx.direction === "backward") {
        const canary = inst._zod.parse({ value: payload.value, issues: [] }, { ...ctx, skipChecks: true });
        if (canary instanceof Promise) {
          return canary.then((canary2) => {
            return handleCanaryResult(canary2, payload, ctx);
          });
        }
        return handleCanaryResult(canary, payload, ctx);
      }
      const result = inst._zod.parse(payload, ctx);
      if (result instanceof Promise) {
        if (ctx.async === false)
          throw new $ZodAsyncError();
        return result.then((result2) => runChecks(result2, checks, ctx));
      }
      return runChecks(result, checks, ctx);
    };
  }
}, {
  // Wrappers extend this by installing a richer factory over it; reading it eagerly would defeat the laziness.
  get "~standard"() {
    return hide(this, "~standard", standardProps(this));
  },
  set "~standard"(value) {
    own(this, "~standard", value);
  }
});
var toStandardResult = (r, ctx) => r.issues.length ? { issues: r.issues.map((iss) => finalizeIssue(iss, ctx, config())) } : { value: r.value };
async function validateAsync(inst, value) {
  const ctx = { async: true };
  return toStandardResult(await inst._zod.run({ value, issues: [] }, ctx), ctx);
}
function standardProps(inst) {
  return {
    validate: (value) => {
      const ctx = { async: false };
      try {
        const r = inst._zod.run({ value, issues: [] }, ctx);
        if (!(r instanceof Promise))
          return toStandardResult(r, ctx);
      } catch (_) {
      }
      return validateAsync(inst, value);
    },
    vendor: "zod",
    version: 1
  };
}
var $ZodString = /* @__PURE__ */ $constructor("$ZodString", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.pattern = def.pattern ?? anyString;
  inst._zod.parse = (payload, _) => {
    if (def.coerce)
      try {
        payload.value = String(payload.value);
      } catch (_2) {
      }
    if (typeof payload.value === "string")
      return payload;
    payload.issues.push({
      expected: "string",
      code: "invalid_type",
      input: payload.value,
      inst
    });
    return payload;
  };
});
var $ZodStringFormat = /* @__PURE__ */ $constructor("$ZodStringFormat", (inst, def) => {
  $ZodCheckStringFormat.init(inst, def);
  $ZodString.init(inst, def);
});
var $ZodGUID = /* @__PURE__ */ $constructor("$ZodGUID", (inst, def) => {
  def.pattern ?? (def.pattern = guid);
  $ZodStringFormat.init(inst, def);
});
var $ZodNumber = /* @__PURE__ */ $constructor("$ZodNumber", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.pattern = number;
  inst._zod.parse = (payload, _ctx) => {
    if (def.coerce)
      try {
        payload.value = Number(payload.value);
      } catch (_) {
      }
    const input = payload.value;
    if (typeof input === "number" && !Number.isNaN(input) && Number.isFinite(input)) {
      return payload;
    }
    const received = typeof input === "number" ? Number.isNaN(input) ? "NaN" : !Number.isFinite(input) ? String(input) : void 0 : void 0;
    payload.issues.push({
      expected: "number",
      code: "invalid_type",
      input,
      inst,
      ...received ? { received } : {}
    });
    return payload;
  };
});
var $ZodNumberFormat = /* @__PURE__ */ $constructor("$ZodNumberFormat", (inst, def) => {
  $ZodCheckNumberFormat.init(inst, def);
  $ZodNumber.init(inst, def);
});
var $ZodBoolean = /* @__PURE__ */ $constructor("$ZodBoolean", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.pattern = boolean;
  inst._zod.parse = (payload, _ctx) => {
    if (def.coerce)
      try {
        payload.value = Boolean(payload.value);
      } catch (_) {
      }
    const input = payload.value;
    if (typeof input === "boolean")
      return payload;
    payload.issues.push({
      expected: "boolean",
      code: "invalid_type",
      input,
      inst
    });
    return payload;
  };
});
var $ZodNever = /* @__PURE__ */ $constructor("$ZodNever", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.parse = (payload, _ctx) => {
    payload.issues.push({
      expected: "never",
      code: "invalid_type",
      input: payload.value,
      inst
    });
    return payload;
  };
});
function capSize(inst, size) {
  const caps = sizeCaps(inst._zod.def.checks);
  if (!caps.length)
    return;
  const cap = Math.min(...caps.map((c) => c[0]));
  const parse2 = inst._zod.parse;
  inst._zod.parse = (payload, ctx) => {
    const n = size(payload.value);
    if (n > cap && !ctx?.skipChecks && ctx?.direction !== "backward") {
      for (const [max, ch] of sizeCaps(inst._zod.def.checks)) {
        if (n > max && ch._zod.def.when(payload)) {
          const start = payload.issues.length;
          ch._zod.check(payload);
          payload.issues[start].continue = false;
          attachSchema(payload.issues, start, inst);
          return payload;
        }
      }
    }
    return parse2(payload, ctx);
  };
}
var arraySize = (input) => Array.isArray(input) ? input.length : -1;
function handleArrayResult(result, final, index) {
  if (result.issues.length) {
    final.issues.push(...prefixIssues(index, result.issues));
  }
  final.value[index] = result.value;
}
var $ZodArray = /* @__PURE__ */ $constructor("$ZodArray", (inst, def) => {
  $ZodType.init(inst, def);
  const memo = globalConfig.memoizer;
  memo?.attach(inst);
  inst._zod.parse = (payload, ctx) => {
    const input = payload.value;
    if (!Array.isArray(input)) {
      payload.issues.push({
        expected: "array",
        code: "invalid_type",
        input,
        inst
      });
      return payload;
    }
    payload.value = memo ? memo.alloc(inst, payload, Array(input.length), ctx) : Array(input.length);
    const proms = [];
    const abortEarly = ctx?.abortEarly;
    for (let i = 0; i < input.length; i++) {
      const item = input[i];
      const result = def.element._zod.run({
        value: item,
        issues: []
      }, ctx);
      if (result instanceof Promise) {
        proms.push(result.then((result2) => handleArrayResult(result2, payload, i)));
      } else {
        handleArrayResult(result, payload, i);
        if (abortEarly && result.issues.length !== 0 && aborted(result))
          break;
      }
    }
    if (proms.length) {
      return Promise.all(proms).then(() => payload);
    }
    return payload;
  };
  capSize(inst, arraySize);
});
function handlePropertyResult(result, final, key, input, optin, optout) {
  const isPresent = key in input;
  const isOptionalOut = optout === "optional";
  if (!isPresent && isOptionalOut && optin === "optional") {
    return;
  }
  if (result.issues.length) {
    if (optin !== void 0 && isOptionalOut && !isPresent) {
      return;
    }
    final.issues.push(...prefixIssues(key, result.issues));
  }
  if (!isPresent && optin === void 0) {
    if (!result.issues.length) {
      final.issues.push({
        code: "invalid_type",
        expected: "nonoptional",
        input: void 0,
        path: [key]
      });
    }
    return;
  }
  if (result.value === void 0) {
    if (isPresent || optin === "defaulted" && !isOptionalOut) {
      final.value[key] = void 0;
    }
  } else {
    final.value[key] = result.value;
  }
}
var NO_SYMBOL_KEYS = [];
function normalizeDef(def) {
  const keys = Object.keys(def.shape);
  const ownSymbols = Object.getOwnPropertySymbols(def.shape);
  const symbolKeys = ownSymbols.length ? ownSymbols : NO_SYMBOL_KEYS;
  const allKeys = symbolKeys.length ? [...keys, ...symbolKeys] : keys;
  for (const k of allKeys) {
    if (!def.shape?.[k]?._zod?.traits?.has("$ZodType")) {
      throw new Error(`Invalid element at key "${String(k)}": expected a Zod schema`);
    }
  }
  const okeys = optionalKeys(def.shape);
  return {
    ...def,
    allKeys,
    symbolKeys,
    // string-only: handleCatchall matches it against `for...in`, which never yields a symbol
    keySet: new Set(keys),
    numKeys: keys.length,
    optionalKeys: new Set(okeys)
  };
}
function handleCatchall(proms, input, payload, ctx, def, inst, abortEarly) {
  const unrecognized = [];
  const keySet = def.keySet;
  const _catchall = def.catchall._zod;
  const t = _catchall.def.type;
  const optin = _catchall.optin;
  const optout = _catchall.optout;
  let seen = 0;
  for (const key in input) {
    if (abortEarly && payload.issues.length !== seen) {
      if (aborted(payload, seen))
        break;
      seen = payload.issues.length;
    }
    if (keySet.has(key))
      continue;
    if (key === "__proto__") {
      if (t === "never")
        unrecognized.push(key);
      continue;
    }
    if (t === "never") {
      unrecognized.push(key);
      continue;
    }
    const r = _catchall.run({ value: input[key], issues: [] }, ctx);
    if (r instanceof Promise) {
      proms.push(r.then((r2) => handlePropertyResult(r2, payload, key, input, optin, optout)));
    } else {
      handlePropertyResult(r, payload, key, input, optin, optout);
    }
  }
  if (unrecognized.length) {
    payload.issues.push({
      code: "unrecognized_keys",
      keys: unrecognized,
      input,
      inst,
      // Describes the shape of the input, not the validity of the parsed value, so it never aborts. The parse still fails; the schema's own checks just get to run first, and an enclosing intersection can reconcile the key against a sibling operand.
      continue: true
    });
  }
  if (!proms.length)
    return payload;
  return Promise.all(proms).then(() => {
    return payload;
  });
}
var $ZodObject = /* @__PURE__ */ $constructor("$ZodObject", (inst, def) => {
  $ZodType.init(inst, def);
  const desc = Object.getOwnPropertyDescriptor(def, "shape");
  const sh = desc?.get ? desc.get.raw : def.shape ?? {};
  if (sh) {
    const get = () => {
      const newSh = { ...sh };
      Object.defineProperty(def, "shape", { value: newSh });
      get.raw = newSh;
      return newSh;
    };
    get.raw = sh;
    Object.defineProperty(def, "shape", { get });
  }
  const _normalized = cached(() => normalizeDef(def));
  defineLazyInternal(inst, "propValues", (zod) => {
    const shape = zod.def.shape;
    const propValues = {};
    for (const key in shape) {
      const field = shape[key]._zod;
      if (field.values) {
        if (!Object.prototype.hasOwnProperty.call(propValues, key)) {
          assignProp(propValues, key, /* @__PURE__ */ new Set());
        }
        for (const v of field.values)
          propValues[key].add(v);
        if (field.optin !== void 0)
          propValues[key].add(void 0);
      }
    }
    return propValues;
  });
  const isObject2 = isObject;
  const catchall = def.catchall;
  let value;
  const memo = globalConfig.memoizer;
  memo?.attach(inst);
  inst._zod.parse = (payload, ctx) => {
    value ?? (value = _normalized.value);
    const input = payload.value;
    if (!isObject2(input)) {
      payload.issues.push({
        expected: "object",
        code: "invalid_type",
        input,
        inst
      });
      return payload;
    }
    payload.value = memo ? memo.alloc(inst, payload, {}, ctx) : {};
    const proms = [];
    const shape = value.shape;
    const abortEarly = ctx?.abortEarly;
    let seen = payload.issues.length;
    for (const key of value.allKeys) {
      if (abortEarly && payload.issues.length !== seen) {
        if (aborted(payload, seen))
          break;
        seen = payload.issues.length;
      }
      if (key === "__proto__")
        continue;
      const el = shape[key];
      const optin = el._zod.optin;
      const optout = el._zod.optout;
      const r = el._zod.run({ value: input[key], issues: [] }, ctx);
      if (r instanceof Promise) {
        proms.push(r.then((r2) => handlePropertyResult(r2, payload, key, input, optin, optout)));
      } else {
        handlePropertyResult(r, payload, key, input, optin, optout);
      }
    }
    if (!catchall) {
      return proms.length ? Promise.all(proms).then(() => payload) : payload;
    }
    return handleCatchall(proms, input, payload, ctx, _normalized.value, inst, abortEarly === true);
  };
});
function handleUnionResults(results, final, inst, ctx) {
  for (const result of results) {
    if (result.issues.length === 0) {
      final.value = result.value;
      return final;
    }
  }
  const nonaborted = results.filter((r) => !aborted(r));
  if (nonaborted.length === 1) {
    final.value = nonaborted[0].value;
    return nonaborted[0];
  }
  final.issues.push({
    code: "invalid_union",
    input: final.value,
    inst,
    errors: results.map((result) => result.issues.map((iss) => finalizeIssue(iss, ctx, config())))
  });
  return final;
}
var $ZodUnion = /* @__PURE__ */ $constructor("$ZodUnion", (inst, def) => {
  $ZodType.init(inst, def);
  defineLazyInternal(inst, "optin", (zod) => zod.def.options.some((o) => o._zod.optin === "defaulted") ? "defaulted" : zod.def.options.some((o) => o._zod.optin !== void 0) ? "optional" : void 0);
  defineLazyInternal(inst, "optout", (zod) => zod.def.options.some((o) => o._zod.optout === "optional") ? "optional" : void 0);
  defineLazyInternal(inst, "values", (zod) => {
    if (zod.def.options.every((o) => o._zod.values)) {
      return new Set(zod.def.options.flatMap((option) => Array.from(option._zod.values)));
    }
    return void 0;
  });
  defineLazyInternal(inst, "pattern", (zod) => {
    if (zod.def.options.every((o) => o._zod.pattern)) {
      const patterns = zod.def.options.map((o) => o._zod.pattern);
      return new RegExp(`^(${patterns.map((p) => cleanRegex(p.source)).join("|")})$`);
    }
    return void 0;
  });
  const first = def.options.length === 1 ? def.options[0]._zod.run : null;
  inst._zod.parse = (payload, ctx) => {
    if (first) {
      return first(payload, ctx);
    }
    let async = false;
    const results = [];
    for (const option of def.options) {
      const result = option._zod.run({
        value: payload.value,
        issues: []
      }, ctx);
      if (result instanceof Promise) {
        results.push(result);
        async = true;
      } else {
        if (result.issues.length === 0)
          return result;
        results.push(result);
      }
    }
    if (!async)
      return handleUnionResults(results, payload, inst, ctx);
    return Promise.all(results).then((results2) => {
      return handleUnionResults(results2, payload, inst, ctx);
    });
  };
});
function discriminatorMap(def) {
  const map = /* @__PURE__ */ new Map();
  for (const option of def.options) {
    const values = option._zod.propValues?.[def.discriminator];
    if (!values || values.size === 0)
      throw new Error(`Invalid discriminated union option at index "${def.options.indexOf(option)}"`);
    for (const value of values) {
      if (map.has(value)) {
        if (value !== void 0)
          throw new Error(`Duplicate discriminator value "${String(value)}"`);
        map.set(value, null);
      } else {
        map.set(value, option);
      }
    }
  }
  return map;
}
var $ZodDiscriminatedUnion = /* @__PURE__ */ $constructor("$ZodDiscriminatedUnion", (inst, def) => {
  def.inclusive = false;
  $ZodUnion.init(inst, def);
  const _super = inst._zod.parse;
  defineLazyInternal(inst, "propValues", (zod) => {
    const propValues = {};
    let undefinedCount = 0;
    for (const option of zod.def.options) {
      const pv = option._zod.propValues;
      if (!pv || Object.keys(pv).length === 0)
        throw new Error(`Invalid discriminated union option at index "${zod.def.options.indexOf(option)}"`);
      if (pv[zod.def.discriminator]?.has(void 0))
        undefinedCount++;
      for (const [k, v] of Object.entries(pv)) {
        if (!Object.prototype.hasOwnProperty.call(propValues, k)) {
          assignProp(propValues, k, /* @__PURE__ */ new Set());
        }
        for (const val of v) {
          propValues[k].add(val);
        }
      }
    }
    if (!zod.def.unionFallback && undefinedCount > 1)
      propValues[zod.def.discriminator]?.delete(void 0);
    return propValues;
  });
  def.options.forEach((option, i) => {
    const propShape = rawShape(option._zod.def);
    if (propShape && !Object.prototype.hasOwnProperty.call(propShape, def.discriminator)) {
      throw new Error(`Invalid discriminated union option at index "${i}"`);
    }
  });
  const disc = cached(() => discriminatorMap(def));
  inst._zod.parse = (payload, ctx) => {
    const input = payload.value;
    if (!isObject(input)) {
      payload.issues.push({
        code: "invalid_type",
        expected: "object",
        input,
        inst
      });
      return payload;
    }
    const value = input?.[def.discriminator];
    const opt = disc.value.get(value);
    if (opt && (value !== void 0 || ctx.direction !== "backward")) {
      return opt._zod.run(payload, ctx);
    }
    if (def.unionFallback || ctx.direction === "backward") {
      return _super(payload, ctx);
    }
    payload.issues.push({
      code: "invalid_union",
      errors: [],
      note: "No matching discriminator",
      discriminator: def.discriminator,
      options: Array.from(disc.value.keys()).filter((value2) => disc.value.get(value2) !== null),
      input,
      path: [def.discriminator],
      inst
    });
    return payload;
  };
});
var $ZodEnum = /* @__PURE__ */ $constructor("$ZodEnum", (inst, def) => {
  $ZodType.init(inst, def);
  const values = getEnumValues(def.entries);
  const valuesSet = new Set(values);
  inst._zod.values = valuesSet;
  defineLazyInternal(inst, "pattern", (zod) => {
    const patternValues = getEnumValues(zod.def.entries).filter((k) => propertyKeyTypes.has(typeof k));
    return new RegExp(patternValues.length ? `^(${patternValues.map((o) => escapeRegex(o.toString())).join("|")})$` : "^[^\\s\\S]$");
  });
  inst._zod.parse = (payload, _ctx) => {
    const input = payload.value;
    if (valuesSet.has(input)) {
      return payload;
    }
    payload.issues.push({
      code: "invalid_value",
      values,
      input,
      inst
    });
    return payload;
  };
});
var $ZodLiteral = /* @__PURE__ */ $constructor("$ZodLiteral", (inst, def) => {
  $ZodType.init(inst, def);
  const values = new Set(def.values);
  inst._zod.values = values;
  defineLazyInternal(inst, "pattern", (zod) => {
    const vals = zod.def.values;
    return new RegExp(vals.length ? `^(${vals.map((o) => typeof o === "string" ? escapeRegex(o) : o ? escapeRegex(o.toString()) : String(o)).join("|")})$` : "^[^\\s\\S]$");
  });
  inst._zod.parse = (payload, _ctx) => {
    const input = payload.value;
    if (values.has(input)) {
      return payload;
    }
    payload.issues.push({
      code: "invalid_value",
      values: def.values,
      input,
      inst
    });
    return payload;
  };
});
function handleOptionalResult(payload, result) {
  payload.value = result.issues.length ? void 0 : result.value;
  return payload;
}
var $ZodOptional = /* @__PURE__ */ $constructor("$ZodOptional", (inst, def) => {
  $ZodType.init(inst, def);
  defineLazyInternal(inst, "optin", (zod) => zod.def.innerType._zod.optin === "defaulted" ? "defaulted" : "optional");
  inst._zod.optout = "optional";
  defineLazyInternal(inst, "values", (zod) => {
    const values = zod.def.innerType._zod.values;
    return values ? /* @__PURE__ */ new Set([...values, void 0]) : void 0;
  });
  defineLazyInternal(inst, "pattern", (zod) => {
    const pattern = zod.def.innerType._zod.pattern;
    return pattern ? new RegExp(`^(${cleanRegex(pattern.source)})?$`) : void 0;
  });
  inst._zod.parse = (payload, ctx) => {
    if (payload.value === void 0) {
      if (def.innerType._zod.optin !== "defaulted")
        return payload;
      const result = def.innerType._zod.run({ value: payload.value, issues: [] }, ctx);
      if (result instanceof Promise)
        return result.then((result2) => handleOptionalResult(payload, result2));
      return handleOptionalResult(payload, result);
    }
    return def.innerType._zod.run(payload, ctx);
  };
});
var $ZodNullable = /* @__PURE__ */ $constructor("$ZodNullable", (inst, def) => {
  $ZodType.init(inst, def);
  defineLazyInternal(inst, "optin", (zod) => zod.def.innerType._zod.optin);
  defineLazyInternal(inst, "optout", (zod) => zod.def.innerType._zod.optout);
  defineLazyInternal(inst, "pattern", (zod) => {
    const pattern = zod.def.innerType._zod.pattern;
    return pattern ? new RegExp(`^(${cleanRegex(pattern.source)}|null)$`) : void 0;
  });
  defineLazyInternal(inst, "values", (zod) => {
    return zod.def.innerType._zod.values ? /* @__PURE__ */ new Set([...zod.def.innerType._zod.values, null]) : void 0;
  });
  inst._zod.parse = (payload, ctx) => {
    if (payload.value === null)
      return payload;
    return def.innerType._zod.run(payload, ctx);
  };
});
var $ZodCustom = /* @__PURE__ */ $constructor("$ZodCustom", (inst, def) => {
  $ZodCheck.init(inst, def);
  $ZodType.init(inst, def);
  inst._zod.parse = (payload, _) => {
    return payload;
  };
  inst._zod.check = (payload) => {
    const input = payload.value;
    const r = def.fn(input);
    if (r instanceof Promise) {
      return r.then((r2) => handleRefineResult(r2, payload, input, inst));
    }
    handleRefineResult(r, payload, input, inst);
    return;
  };
});
function handleRefineResult(result, payload, input, inst) {
  if (!result) {
    const _iss = {
      code: "custom",
      input,
      inst,
      // incorporates params.error into issue reporting
      path: [...inst._zod.def.path ?? []],
      // incorporates params.error into issue reporting
      continue: !inst._zod.def.abort
      // params: inst._zod.def.params,
    };
    if (inst._zod.def.params)
      _iss.params = inst._zod.def.params;
    payload.issues.push(issue(_iss));
  }
}

// web/node_modules/zod/v4/core/api.js
function snapshotChecks(def) {
  if (def.checks)
    def.checks = [...def.checks];
  return def;
}
// @__NO_SIDE_EFFECTS__
function _string(Class, params) {
  return new Class(snapshotChecks({ type: "string", ...normalizeParams(params) }));
}
// @__NO_SIDE_EFFECTS__
function _guid(Class, params) {
  return new Class({
    type: "string",
    format: "guid",
    check: "string_format",
    abort: false,
    ...normalizeParams(params)
  });
}
// @__NO_SIDE_EFFECTS__
function _int(Class, params) {
  return new Class({
    type: "number",
    check: "number_format",
    abort: false,
    format: "safeint",
    ...normalizeParams(params)
  });
}
// @__NO_SIDE_EFFECTS__
function _boolean(Class, params) {
  return new Class({
    type: "boolean",
    ...normalizeParams(params)
  });
}
// @__NO_SIDE_EFFECTS__
function _never(Class, params) {
  return new Class({
    type: "never",
    ...normalizeParams(params)
  });
}
// @__NO_SIDE_EFFECTS__
function _lte(value, params) {
  return new $ZodCheckLessThan({
    check: "less_than",
    ...normalizeParams(params),
    value,
    inclusive: true
  });
}
// @__NO_SIDE_EFFECTS__
function _gte(value, params) {
  return new $ZodCheckGreaterThan({
    check: "greater_than",
    ...normalizeParams(params),
    value,
    inclusive: true
  });
}
// @__NO_SIDE_EFFECTS__
function _regex(pattern, params) {
  return new $ZodCheckRegex({
    check: "string_format",
    format: "regex",
    ...normalizeParams(params),
    pattern
  });
}
// @__NO_SIDE_EFFECTS__
function _refine(Class, fn, _params) {
  const schema = new Class({
    type: "custom",
    check: "custom",
    fn,
    ...normalizeParams(_params)
  });
  return schema;
}

// web/node_modules/zod/v4/mini/schemas.js
var ZodMiniType = /* @__PURE__ */ $constructor("ZodMiniType", (inst, def) => {
  if (!inst._zod)
    throw new Error("Uninitialized schema in ZodMiniType.");
  $ZodType.init(inst, def);
  inst.def = def;
  inst.type = def.type;
}, {
  // `with` is an alias for `check`: the same function object, not a wrapper.
  get with() {
    return this.check;
  },
  set with(value) {
    own(this, "with", value);
  },
  parse(data, params) {
    return parse(this, data, params, { callee: this.parse });
  },
  parseAsync(data, params) {
    return parseAsync(this, data, params, { callee: this.parseAsync });
  },
  safeParse(data, params) {
    return safeParse(this, data, params);
  },
  safeParseAsync(data, params) {
    return safeParseAsync(this, data, params);
  },
  check(...checks) {
    const def = this.def;
    return this.clone({
      ...def,
      checks: [
        ...def.checks ?? [],
        ...checks.map((ch) => typeof ch === "function" ? { _zod: { check: ch, def: { check: "custom" }, onattach: [] } } : ch)
      ]
    }, { parent: true });
  },
  clone(_def, params) {
    return clone(this, _def, params);
  },
  brand() {
    return this;
  },
  register(reg, meta2) {
    reg.add(this, meta2);
    return this;
  },
  apply(fn, ...args) {
    return args.length === 0 ? fn(this) : fn(this, ...args);
  }
});
var ZodMiniString = /* @__PURE__ */ $constructor("ZodMiniString", (inst, def) => {
  $ZodString.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function string2(params) {
  return _string(ZodMiniString, params);
}
var ZodMiniStringFormat = /* @__PURE__ */ $constructor("ZodMiniStringFormat", (inst, def) => {
  $ZodStringFormat.init(inst, def);
  ZodMiniString.init(inst, def);
});
var ZodMiniGUID = /* @__PURE__ */ $constructor("ZodMiniGUID", (inst, def) => {
  $ZodGUID.init(inst, def);
  ZodMiniStringFormat.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function guid2(params) {
  return _guid(ZodMiniGUID, params);
}
var ZodMiniNumber = /* @__PURE__ */ $constructor("ZodMiniNumber", (inst, def) => {
  $ZodNumber.init(inst, def);
  ZodMiniType.init(inst, def);
});
var ZodMiniNumberFormat = /* @__PURE__ */ $constructor("ZodMiniNumberFormat", (inst, def) => {
  $ZodNumberFormat.init(inst, def);
  ZodMiniNumber.init(inst, def);
});
function int(params) {
  return _int(ZodMiniNumberFormat, params);
}
var ZodMiniBoolean = /* @__PURE__ */ $constructor("ZodMiniBoolean", (inst, def) => {
  $ZodBoolean.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function boolean2(params) {
  return _boolean(ZodMiniBoolean, params);
}
var ZodMiniNever = /* @__PURE__ */ $constructor("ZodMiniNever", (inst, def) => {
  $ZodNever.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function never(params) {
  return _never(ZodMiniNever, params);
}
var ZodMiniArray = /* @__PURE__ */ $constructor("ZodMiniArray", (inst, def) => {
  $ZodArray.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function array(element, params) {
  return new ZodMiniArray({
    type: "array",
    element,
    ...normalizeParams(params)
  });
}
var ZodMiniObject = /* @__PURE__ */ $constructor("ZodMiniObject", (inst, def) => {
  $ZodObject.init(inst, def);
  ZodMiniType.init(inst, def);
  installLazyProp(inst, "shape", (self) => self._zod.def.shape, false);
});
// @__NO_SIDE_EFFECTS__
function object(shape, params) {
  const def = {
    type: "object",
    shape: shape ?? {},
    ...normalizeParams(params)
  };
  return new ZodMiniObject(def);
}
// @__NO_SIDE_EFFECTS__
function strictObject(shape, params) {
  return new ZodMiniObject({
    type: "object",
    shape,
    catchall: /* @__PURE__ */ never(),
    ...normalizeParams(params)
  });
}
var ZodMiniDiscriminatedUnion = /* @__PURE__ */ $constructor("ZodMiniDiscriminatedUnion", (inst, def) => {
  $ZodDiscriminatedUnion.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function discriminatedUnion(discriminator, options, params) {
  return new ZodMiniDiscriminatedUnion({
    type: "union",
    options,
    discriminator,
    ...normalizeParams(params)
  });
}
var ZodMiniEnum = /* @__PURE__ */ $constructor("ZodMiniEnum", (inst, def) => {
  $ZodEnum.init(inst, def);
  ZodMiniType.init(inst, def);
  inst.options = [...inst._zod.values];
});
// @__NO_SIDE_EFFECTS__
function _enum(values, params) {
  const entries = Array.isArray(values) ? Object.fromEntries(values.map((v) => [v, v])) : values;
  return new ZodMiniEnum({
    type: "enum",
    entries,
    ...normalizeParams(params)
  });
}
var ZodMiniLiteral = /* @__PURE__ */ $constructor("ZodMiniLiteral", (inst, def) => {
  $ZodLiteral.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function literal(value, params) {
  return new ZodMiniLiteral({
    type: "literal",
    values: Array.isArray(value) ? value : [value],
    ...normalizeParams(params)
  });
}
var ZodMiniOptional = /* @__PURE__ */ $constructor("ZodMiniOptional", (inst, def) => {
  $ZodOptional.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function optional(innerType) {
  return new ZodMiniOptional({
    type: "optional",
    innerType
  });
}
var ZodMiniNullable = /* @__PURE__ */ $constructor("ZodMiniNullable", (inst, def) => {
  $ZodNullable.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function nullable(innerType) {
  return new ZodMiniNullable({
    type: "nullable",
    innerType
  });
}
var ZodMiniCustom = /* @__PURE__ */ $constructor("ZodMiniCustom", (inst, def) => {
  $ZodCustom.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function refine(fn, _params = {}) {
  return _refine(ZodMiniCustom, fn, _params);
}

// web/client/src/schemas.ts
function maxChars(n) {
  return refine(
    (s) => {
      let count = 0;
      for (const _ of s) if (++count > n) return false;
      return true;
    },
    { message: "at most " + n + " characters", params: { code: "too_long" } }
  );
}
var ActionId = guid2();
var ActionApproved = strictObject({
  /** The action. */
  action_id: ActionId
});
var ActionDeclined = strictObject({
  /** The action. */
  action_id: ActionId
});
var ChatCleared = strictObject({});
var ChatRegenerate = strictObject({});
var OperationId = guid2();
var LlmCancel = strictObject({
  /** The operation to stop. */
  operation_id: OperationId
});
var LocalDate = string2().check(_regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/));
var LocalTime = string2().check(_regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/));
var PlanRequested = strictObject({
  /** The day to plan. */
  date: optional(nullable(LocalDate))
});
var ReminderId = guid2();
var ReminderCancelled = strictObject({
  /** The reminder. */
  reminder_id: ReminderId
});
var TaskId = guid2();
var Timestamp = int().check(_gte(0));
var ReminderSet = strictObject({
  /** When, in ms since the epoch (or give `time`). */
  at: optional(nullable(Timestamp)),
  /** The local day of `time` (default: today in the user's time zone). */
  date: optional(nullable(LocalDate)),
  /** Client-chosen id; when absent the reminder's id is the event's id. */
  reminder_id: optional(nullable(ReminderId)),
  /** The task it is about, if any. */
  task_id: optional(nullable(TaskId)),
  /** What to remind of. */
  text: string2().check(maxChars(500)),
  /** When, as a local time in the user's time zone (or give `at`). */
  time: optional(nullable(LocalTime))
});
var ReminderSnoozed = strictObject({
  /** Minutes from now, 1..=10080 (a week). */
  minutes: int().check(_gte(1), _lte(10080)),
  /** The reminder. */
  reminder_id: ReminderId
});
var SettingsUpdated = strictObject({
  /** Whether the assistant's actions that complete or destroy something
  wait for the user's approval (absent: true). */
  confirm_actions: optional(nullable(boolean2())),
  /** Local time of the daily plan; absent or null turns it off. */
  daily_plan_time: optional(nullable(LocalTime)),
  /** The user's time zone: `"Europe/Berlin"`, `"UTC"`, `"+05:30"`. */
  time_zone: optional(nullable(string2().check(maxChars(64)))),
  /** Older form of the zone: minutes east of UTC, -720..=840, read as the
  fixed-offset zone `±HH:MM`. Give `time_zone` or this, not both. */
  tz_offset_minutes: optional(nullable(int().check(_gte(-720), _lte(840))))
});
var SummaryRequested = strictObject({});
var TaskCompleted = strictObject({
  /** The task. */
  task_id: TaskId
});
var TaskCreated = strictObject({
  /** Due date. */
  due_date: optional(nullable(LocalDate)),
  /** Free-form notes. */
  notes: optional(nullable(string2().check(maxChars(4e3)))),
  /** Client-chosen id; when absent the task's id is the event's id. */
  task_id: optional(nullable(TaskId)),
  /** Title. */
  title: string2().check(maxChars(200))
});
var TaskDeleted = strictObject({
  /** The task. */
  task_id: TaskId
});
var TaskExtract = strictObject({
  /** The text to read. */
  text: string2().check(maxChars(16e3))
});
var TaskReopened = strictObject({
  /** The task. */
  task_id: TaskId
});
var TaskUpdated = strictObject({
  /** New due date. */
  due_date: optional(nullable(LocalDate)),
  /** New notes. */
  notes: optional(nullable(string2().check(maxChars(4e3)))),
  /** The task. */
  task_id: TaskId,
  /** New title. */
  title: optional(nullable(string2().check(maxChars(200))))
});
var UserMessage = strictObject({
  /** The message text. */
  text: string2().check(maxChars(8e3))
});
var ClientEvent = discriminatedUnion("type", [
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: UserMessage,
    type: literal("user.message")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: SettingsUpdated,
    type: literal("settings.updated")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskCreated,
    type: literal("task.created")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskUpdated,
    type: literal("task.updated")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskCompleted,
    type: literal("task.completed")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskDeleted,
    type: literal("task.deleted")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskReopened,
    type: literal("task.reopened")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: PlanRequested,
    type: literal("plan.requested")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: SummaryRequested,
    type: literal("summary.requested")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: TaskExtract,
    type: literal("task.extract")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ChatRegenerate,
    type: literal("chat.regenerate")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ChatCleared,
    type: literal("chat.cleared")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ReminderSet,
    type: literal("reminder.set")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ReminderSnoozed,
    type: literal("reminder.snoozed")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ReminderCancelled,
    type: literal("reminder.cancelled")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ActionApproved,
    type: literal("action.approved")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: ActionDeclined,
    type: literal("action.declined")
  }),
  strictObject({
    client_action_id: optional(string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
    event_id: optional(guid2()),
    payload: LlmCancel,
    type: literal("llm.cancel")
  })
]);
var Seq = int().check(_gte(1));
var SeqOrZero = int().check(_gte(0));
var Uuid = guid2();
var UserId = string2().check(_regex(/^[A-Za-z0-9_.@-]{1,64}$/));
var ClientActionId = string2().check(_regex(/^[A-Za-z0-9_.:-]{1,128}$/));
var Attempt = int().check(_gte(1));
var TokenIndex = int().check(_gte(0));
var OperationKind = _enum(["chat", "extract_tasks", "daily_plan", "summary"]);
var FailureCode = _enum(["provider", "rate_limited", "stalled", "malformed_output", "interrupted", "rejected", "output_too_large", "too_many_operations"]);
var ErrorCode = _enum(["malformed_json", "too_deep", "bad_request", "unauthorized", "not_found", "method_not_allowed", "request_timeout", "task_not_found", "reminder_not_found", "action_not_found", "operation_not_found", "operation_finished", "client_action_conflict", "event_id_conflict", "too_many_tasks", "too_many_reminders", "action_not_awaiting", "action_stale", "nothing_to_regenerate", "chat_busy", "body_too_large", "unsupported_media_type", "unknown_field", "missing_field", "invalid_type", "invalid_value", "too_long", "empty", "out_of_range", "reminder_in_past", "unknown_event_type", "event_type_not_allowed", "upgrade_required", "rate_limited", "too_many_operations", "unavailable", "storage_corrupt"]);
var ApiError = strictObject({
  code: ErrorCode,
  message: string2(),
  /** The offending field, e.g. `payload.title`. */
  field: optional(string2()),
  /** With 429: how long to wait before sending again, in milliseconds (an HTTP answer also carries `Retry-After`, in seconds). */
  retry_after_ms: optional(int().check(_gte(0)))
});
var ErrorBody = strictObject({
  error: ApiError
});
var PlanItem = strictObject({
  time: optional(LocalTime),
  title: string2(),
  task_id: optional(TaskId)
});
var ExtractedTask = strictObject({
  task_id: TaskId,
  title: string2(),
  due_date: optional(LocalDate)
});
var ProposedAction = strictObject({
  action_id: ActionId,
  tool: string2(),
  /** The text of a JSON object. */
  arguments: string2()
});
var AssistantMessage = strictObject({
  text: string2(),
  /** The tools the assistant called, in order (absent: none); each is decided by action.applied or action.rejected, or waits for approval. */
  actions: optional(array(ProposedAction)),
  /** The message it answers holds quoted or pasted text, so every action of the reply waits for approval (absent: false). */
  untrusted_input: optional(boolean2())
});
var WorkflowDailyPlan = strictObject({
  date: LocalDate
});
var PlanGenerated = strictObject({
  date: LocalDate,
  items: array(PlanItem)
});
var WorkflowGenerateSummary = strictObject({
  through_seq: SeqOrZero
});
var SummaryGenerated = strictObject({
  text: string2(),
  through_seq: SeqOrZero
});
var TasksExtracted = strictObject({
  tasks: array(ExtractedTask)
});
var ReminderFired = strictObject({
  reminder_id: ReminderId,
  due: Timestamp
});
var ActionApplied = strictObject({
  action_id: ActionId
});
var ActionRejected = strictObject({
  action_id: ActionId,
  code: string2(),
  message: string2(),
  field: optional(string2())
});
var LlmStarted = strictObject({
  kind: OperationKind,
  attempt: Attempt
});
var LlmToken = strictObject({
  attempt: Attempt,
  index: TokenIndex,
  text: string2()
});
var LlmCheckpoint = strictObject({
  attempt: Attempt,
  from_index: TokenIndex,
  tokens: array(string2())
});
var ToolCall = strictObject({
  id: string2(),
  name: string2(),
  arguments: string2()
});
var LlmCompleted = strictObject({
  attempt: Attempt,
  from_index: TokenIndex,
  tokens: array(string2()),
  /** The tools the model called in its reply, in order (absent: none). */
  tool_calls: optional(array(ToolCall))
});
var LlmFailed = strictObject({
  attempt: Attempt,
  code: FailureCode,
  message: string2(),
  terminal: boolean2()
});
var LlmRetryScheduled = strictObject({
  attempt: Attempt,
  at: Timestamp
});
var EnvelopeHeader = object({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: string2(),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: object({})
});
var UserMessageEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("user.message"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: UserMessage
});
var AssistantMessageEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("assistant.message"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: AssistantMessage
});
var StoredSettingsUpdated = strictObject({
  /** The user's time zone: a name of the time-zone database or a fixed offset ±HH:MM. */
  time_zone: optional(string2().check(maxChars(64))),
  /** The POSIX TZ rule `time_zone` was resolved with when the service accepted the event (`CET-1CEST,M3.5.0,M10.5.0/3`). */
  time_zone_rule: optional(string2()),
  /** Older form of the zone: minutes east of UTC, read as the fixed-offset zone ±HH:MM. */
  tz_offset_minutes: optional(int().check(_gte(-720), _lte(840))),
  daily_plan_time: optional(nullable(LocalTime)),
  confirm_actions: optional(boolean2())
});
var SettingsUpdatedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("settings.updated"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: StoredSettingsUpdated
});
var TaskCreatedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.created"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskCreated
});
var TaskUpdatedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.updated"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskUpdated
});
var TaskCompletedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.completed"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskCompleted
});
var TaskDeletedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.deleted"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskDeleted
});
var TaskReopenedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.reopened"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskReopened
});
var PlanRequestedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("plan.requested"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: PlanRequested
});
var WorkflowDailyPlanEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("workflow.daily_plan"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: WorkflowDailyPlan
});
var PlanGeneratedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("plan.generated"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: PlanGenerated
});
var SummaryRequestedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("summary.requested"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: SummaryRequested
});
var ChatRegenerateEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("chat.regenerate"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ChatRegenerate
});
var ChatClearedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("chat.cleared"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ChatCleared
});
var WorkflowGenerateSummaryEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("workflow.generate_summary"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: WorkflowGenerateSummary
});
var SummaryGeneratedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("summary.generated"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: SummaryGenerated
});
var TaskExtractEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("task.extract"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TaskExtract
});
var TasksExtractedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("tasks.extracted"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: TasksExtracted
});
var ReminderSetEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("reminder.set"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ReminderSet
});
var ReminderSnoozedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("reminder.snoozed"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ReminderSnoozed
});
var ReminderCancelledEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("reminder.cancelled"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ReminderCancelled
});
var ReminderFiredEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("reminder.fired"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ReminderFired
});
var ActionAppliedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("action.applied"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ActionApplied
});
var ActionRejectedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("action.rejected"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ActionRejected
});
var ActionApprovedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("action.approved"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ActionApproved
});
var ActionDeclinedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("action.declined"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: ActionDeclined
});
var LlmStartedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.started"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmStarted
});
var LlmTokenEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.token"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmToken
});
var LlmCheckpointEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.checkpoint"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmCheckpoint
});
var LlmCompletedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.completed"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmCompleted
});
var LlmFailedEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.failed"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmFailed
});
var LlmRetryScheduledEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.retry_scheduled"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmRetryScheduled
});
var LlmCancelEvent = strictObject({
  /** Envelope schema version. */
  v: literal(1),
  seq: Seq,
  event_id: Uuid,
  type: literal("llm.cancel"),
  timestamp: Timestamp,
  user_id: UserId,
  request_id: Uuid,
  client_action_id: optional(ClientActionId),
  operation_id: optional(Uuid),
  causation_id: optional(Uuid),
  payload: LlmCancel
});
var Event = discriminatedUnion("type", [
  UserMessageEvent,
  AssistantMessageEvent,
  SettingsUpdatedEvent,
  TaskCreatedEvent,
  TaskUpdatedEvent,
  TaskCompletedEvent,
  TaskDeletedEvent,
  TaskReopenedEvent,
  PlanRequestedEvent,
  WorkflowDailyPlanEvent,
  PlanGeneratedEvent,
  SummaryRequestedEvent,
  ChatRegenerateEvent,
  ChatClearedEvent,
  WorkflowGenerateSummaryEvent,
  SummaryGeneratedEvent,
  TaskExtractEvent,
  TasksExtractedEvent,
  ReminderSetEvent,
  ReminderSnoozedEvent,
  ReminderCancelledEvent,
  ReminderFiredEvent,
  ActionAppliedEvent,
  ActionRejectedEvent,
  ActionApprovedEvent,
  ActionDeclinedEvent,
  LlmStartedEvent,
  LlmTokenEvent,
  LlmCheckpointEvent,
  LlmCompletedEvent,
  LlmFailedEvent,
  LlmRetryScheduledEvent,
  LlmCancelEvent
]);
var EventFrame = strictObject({
  frame: literal("event"),
  seq: Seq,
  event: Event
});
var TokenFrame = strictObject({
  frame: literal("token"),
  after: SeqOrZero,
  operation_id: Uuid,
  attempt: Attempt,
  index: TokenIndex,
  text: string2()
});
var ProgressFrame = strictObject({
  frame: literal("progress"),
  seq: Seq,
  event_id: Uuid,
  type: _enum(["llm.checkpoint", "llm.completed"]),
  timestamp: Timestamp,
  operation_id: Uuid,
  attempt: Attempt,
  through_index: TokenIndex
});
var Ack = strictObject({
  event_id: Uuid,
  request_id: Uuid,
  seq: Seq,
  /** True: the same client_action_id or event_id was stored before; these are the original's. */
  duplicate: boolean2(),
  operation_id: optional(Uuid)
});
var AckFrame = strictObject({
  event_id: Uuid,
  request_id: Uuid,
  seq: Seq,
  /** True: the same client_action_id or event_id was stored before; these are the original's. */
  duplicate: boolean2(),
  operation_id: optional(Uuid),
  frame: literal("ack")
});
var ErrorFrame = strictObject({
  frame: literal("error"),
  status: int().check(_gte(400), _lte(599)),
  error: ApiError
});
var StreamFrame = discriminatedUnion("frame", [
  EventFrame,
  TokenFrame,
  ProgressFrame
]);
var Frame = discriminatedUnion("frame", [
  EventFrame,
  TokenFrame,
  ProgressFrame,
  AckFrame,
  ErrorFrame
]);
var MessageView = strictObject({
  seq: Seq,
  role: _enum(["user", "assistant"]),
  text: string2(),
  /** Present (true) on a reply the user stopped; its text is what was generated until then. */
  stopped: optional(literal(true))
});
var TaskView = strictObject({
  task_id: TaskId,
  title: string2(),
  status: _enum(["open", "done"]),
  notes: optional(string2()),
  due_date: optional(LocalDate)
});
var ReminderView = strictObject({
  reminder_id: ReminderId,
  text: string2(),
  /** When it fires (or fired), ms since the epoch. */
  due: Timestamp,
  status: _enum(["scheduled", "fired"]),
  task_id: optional(TaskId)
});
var ActionView = strictObject({
  action_id: ActionId,
  tool: string2(),
  arguments: string2(),
  /** What it does, in the user's words, resolved from the state: Complete “Book flights” (optional: services from before it was added do not send it). */
  description: optional(string2()),
  status: _enum(["proposed", "awaiting_approval", "applied", "rejected", "declined"]),
  /** The seq of the reply (assistant.message) that proposed it, to show the action under that message (optional: services from before it was added do not send it). */
  proposed_seq: optional(int().check(_gte(1))),
  error: optional(strictObject({
    code: string2(),
    message: string2(),
    field: optional(string2())
  }))
});
var PlanView = strictObject({
  date: LocalDate,
  items: array(PlanItem)
});
var SettingsView = strictObject({
  /** The user's time zone: a name of the time-zone database (Europe/Berlin, UTC) or a fixed offset (+05:30); null until they choose one, and local times are UTC until then. */
  time_zone: nullable(string2().check(maxChars(64))),
  /** The zone's offset from UTC at the time of the snapshot, in minutes east. */
  utc_offset_minutes: int().check(_gte(-720), _lte(840)),
  /** The user's local date at the time of the snapshot. */
  today: LocalDate,
  daily_plan_time: nullable(LocalTime),
  /** The assistant's actions that complete or destroy something wait for approval. */
  confirm_actions: boolean2()
});
var OperationStatus = _enum(["pending", "streaming", "retry_scheduled", "completed", "failed", "cancelled"]);
var OperationView = strictObject({
  operation_id: Uuid,
  kind: OperationKind,
  status: OperationStatus,
  attempt: int().check(_gte(0)),
  text: string2()
});
var StateView = strictObject({
  /** Recent messages, oldest first. */
  messages: array(MessageView),
  /** By id. */
  tasks: array(TaskView),
  /** Today's plan in the user's time zone, else the latest one. */
  plan: nullable(PlanView),
  settings: SettingsView,
  /** The rolling summary of older conversation. */
  summary: nullable(string2()),
  /** Scheduled and recently fired reminders, by due time. */
  reminders: array(ReminderView),
  /** The assistant's actions: waiting for approval, and recently decided, in the order proposed. */
  actions: array(ActionView),
  /** Operations not finished yet, in id order. */
  operations: array(OperationView)
});
var Snapshot = strictObject({
  /** Seq of the last event folded in. */
  seq: SeqOrZero,
  state: StateView
});

// web/client/src/cursor.ts
var MAX_CURSOR_OPERATIONS = 16;
var Cursor = class _Cursor {
  after = 0;
  /** operation_id -> [attempt, next index] (kept sorted on output). */
  tokens = /* @__PURE__ */ new Map();
  /** Operations finished for good, whose items can go once the list is long. */
  finished = /* @__PURE__ */ new Set();
  /** Parses `after=N&tokens=op:attempt:next,...` (what `toQuery` writes). */
  static parse(query) {
    const c = new _Cursor();
    const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
    const after = Number(params.get("after") ?? "0");
    if (!Number.isSafeInteger(after) || after < 0) throw new Error(`bad cursor: ${query}`);
    c.after = after;
    const tokens = params.get("tokens") ?? "";
    if (tokens) {
      for (const item of tokens.split(",")) {
        const [op, attempt, next, extra] = item.split(":");
        const a = Number(attempt);
        const n = Number(next);
        if (!op || extra !== void 0 || !Number.isSafeInteger(a) || !Number.isSafeInteger(n)) {
          throw new Error(`bad cursor item: ${item}`);
        }
        c.tokens.set(op.toLowerCase(), [a, n]);
      }
    }
    return c;
  }
  /** `after=<seq>&tokens=<op:attempt:next,...>`, operations in id order. */
  toQuery() {
    this.trim();
    const ops = [...this.tokens.keys()].sort();
    return `after=${this.after}&tokens=${ops.map((op) => `${op}:${this.tokens.get(op)[0]}:${this.tokens.get(op)[1]}`).join(",")}`;
  }
  /** Checks that `frame` continues this cursor and, if it does, advances it. */
  accept(frame) {
    switch (frame.frame) {
      case "event": {
        if (frame.seq <= this.after) return "duplicate";
        if (frame.seq > this.after + 1) return "gap";
        this.after = frame.seq;
        const ev = frame.event;
        if (ev.type === "llm.started" && ev.operation_id) {
          const cur = this.tokens.get(ev.operation_id);
          if (!cur || cur[0] !== ev.payload.attempt) this.tokens.set(ev.operation_id, [ev.payload.attempt, 0]);
        } else if (ev.type === "llm.failed" && ev.payload.terminal && ev.operation_id) {
          this.finish(ev.operation_id);
        } else if (ev.type === "llm.cancel") {
          this.finish(ev.payload.operation_id);
        }
        return "new";
      }
      case "progress": {
        if (frame.seq <= this.after) return "duplicate";
        if (frame.seq > this.after + 1) return "gap";
        const cur = this.tokens.get(frame.operation_id);
        if (cur && cur[0] === frame.attempt && cur[1] < frame.through_index) return "gap";
        this.after = frame.seq;
        if (frame.type === "llm.completed") {
          this.tokens.delete(frame.operation_id);
          this.finished.delete(frame.operation_id);
        }
        return "new";
      }
      case "token": {
        if (frame.after > this.after) return "gap";
        const cur = this.tokens.get(frame.operation_id);
        if (cur) {
          const [a, next] = cur;
          if (a === frame.attempt && frame.index < next) return "duplicate";
          if (a === frame.attempt && frame.index > next) return "gap";
          if (a > frame.attempt) return "duplicate";
          if (a < frame.attempt) return "gap";
        }
        this.tokens.set(frame.operation_id, [frame.attempt, frame.index + 1]);
        return "new";
      }
    }
  }
  /** Remembers that no token of `op` comes any more; its item is dropped
   * once the list would pass the service's bound. */
  finish(op) {
    this.finished.add(op);
    this.trim();
  }
  trim() {
    if (this.tokens.size <= MAX_CURSOR_OPERATIONS) return;
    for (const f of this.finished) {
      this.tokens.delete(f);
      this.finished.delete(f);
      if (this.tokens.size <= MAX_CURSOR_OPERATIONS) break;
    }
  }
};

// web/client/src/client.ts
var CLOSE_RESUME = 4e3;
var CLOSE_TOKEN_EXPIRED = 4001;
var CLOSE_TOO_MANY_SUBSCRIBERS = 4029;
var CLOSE_RATE_LIMITED = 4008;
var PING = "ping";
var PONG = "pong";
var ApiError2 = class _ApiError extends Error {
  constructor(status, code, message, field, retryAfterMs) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterMs = retryAfterMs;
    this.name = "ApiError";
  }
  status;
  code;
  field;
  retryAfterMs;
  static from(status, body) {
    return new _ApiError(status, body.code, body.message, body.field, body.retry_after_ms);
  }
};
function validateClientEvent(body) {
  const r = ClientEvent.safeParse(body);
  if (r.success) return r.data;
  let issue2 = r.error.issues[0];
  if (issue2?.code === "invalid_union" && Array.isArray(issue2.errors)) {
    const t = body?.type;
    const branch = issue2.errors.find((errs) => !errs.some((e) => e.path?.[0] === "type"));
    if (branch && branch[0]) issue2 = branch[0];
    else if (typeof t === "string") return fail("unknown_event_type", `unknown event type ${t}`, "type");
  }
  const field = (issue2?.path ?? []).join(".") || void 0;
  const code = issueCode(issue2, body);
  return fail(code, issue2?.message ?? "invalid", issue2?.keys?.length ? [field, issue2.keys[0]].filter(Boolean).join(".") : field);
}
function fail(code, message, field) {
  throw new ApiError2(422, code, message, field);
}
function issueCode(issue2, body) {
  switch (issue2?.code) {
    case "custom":
      return issue2.params?.code ?? "invalid_value";
    case "unrecognized_keys":
      return "unknown_field";
    case "invalid_type": {
      let v = body;
      for (const p of issue2.path ?? []) v = v?.[p];
      return v === void 0 ? "missing_field" : "invalid_type";
    }
    case "too_big":
      return issue2.origin === "string" ? "too_long" : "out_of_range";
    case "too_small":
      return issue2.origin === "string" ? "empty" : "out_of_range";
    case "invalid_union":
    case "invalid_value":
      return (issue2.path ?? [])[0] === "type" ? "unknown_event_type" : "invalid_value";
    default:
      return "invalid_value";
  }
}
var Connection = class {
  constructor(opts) {
    this.opts = opts;
    this.WS = opts.WebSocket ?? globalThis.WebSocket;
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.cursor = this.initialCursor();
    if (typeof addEventListener === "function") addEventListener("online", this.online);
    this.open();
  }
  opts;
  ws = null;
  cursor;
  waiting = [];
  attempts = 0;
  timer = null;
  beat = null;
  deadline = null;
  stopped = false;
  openedAt = 0;
  etag = null;
  cached = null;
  listeners = /* @__PURE__ */ new Set();
  WS;
  fetchFn;
  state = "reconnecting";
  /** The cursor the client will resume from. */
  cursorQuery() {
    return this.cursor.toQuery();
  }
  /** Adds a frame listener besides `onFrame`; returns its removal. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Sends a client event: on the open socket (answered in order by an ack
   * or error frame), else by HTTP POST. Rejects with an ApiError. */
  send(body) {
    let checked;
    try {
      checked = validateClientEvent(body);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.ws && this.ws.readyState === this.WS.OPEN && this.state === "connected") {
      return new Promise((resolve, reject) => {
        this.waiting.push({ body: checked, resolve, reject });
        this.ws.send(JSON.stringify(checked));
      });
    }
    return this.post(checked);
  }
  /** GET /v1/snapshot, with If-None-Match once an ETag is known. */
  async snapshot() {
    const headers = { authorization: `Bearer ${this.token()}` };
    if (this.etag && this.cached) headers["if-none-match"] = this.etag;
    const res = await this.http("/v1/snapshot", { headers });
    if (res.status === 304 && this.cached) return { snapshot: this.cached, etag: this.etag, notModified: true };
    const body = await this.answer(res);
    const parsed = Snapshot.safeParse(body);
    if (!parsed.success) throw new ApiError2(res.status, "invalid_frame", `snapshot: ${parsed.error.message}`);
    this.etag = res.headers.get("etag");
    this.cached = parsed.data;
    return { snapshot: parsed.data, etag: this.etag, notModified: false };
  }
  /** Drops the socket and resumes at once from the cursor (e.g. after a gap
   * a replica saw). */
  resume() {
    if (this.stopped) return;
    this.dropSocket(CLOSE_RESUME, "resume");
    this.schedule(0, {});
  }
  /** Closes for good. */
  close() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (typeof removeEventListener === "function") removeEventListener("online", this.online);
    this.dropSocket(1e3, "closed");
    this.setState("offline", { reason: "closed" });
  }
  // ---- internals ----
  token() {
    return typeof this.opts.token === "function" ? this.opts.token() : this.opts.token;
  }
  initialCursor() {
    const c = this.opts.cursor;
    if (c === void 0) return this.cursor ?? new Cursor();
    return Cursor.parse(typeof c === "function" ? c() : c);
  }
  url(path) {
    const base = this.opts.baseUrl || (typeof location !== "undefined" ? location.origin : "");
    return base.replace(/\/$/, "") + path;
  }
  http(path, init) {
    return this.fetchFn(this.url(path), init).catch((e) => {
      throw new ApiError2(0, "unavailable", `network: ${e?.message ?? e}`);
    });
  }
  async answer(res) {
    let body;
    try {
      body = await res.json();
    } catch {
      throw new ApiError2(res.status, res.status >= 500 ? "unavailable" : "bad_request", `HTTP ${res.status} without a JSON body`);
    }
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      if (e.success) throw ApiError2.from(res.status, e.data.error);
      throw new ApiError2(res.status, "invalid_frame", `HTTP ${res.status}: unexpected body`);
    }
    return body;
  }
  async post(body) {
    const res = await this.http("/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${this.token()}`, "content-type": "application/json" },
      body: JSON.stringify(body)
    });
    const ack = Ack.safeParse(await this.answer(res));
    if (!ack.success) throw new ApiError2(res.status, "invalid_frame", `ack: ${ack.error.message}`);
    return ack.data;
  }
  setState(state, detail) {
    const changed = state !== this.state;
    this.state = state;
    if (changed || detail.code !== void 0) this.opts.onState?.(state, detail);
  }
  open() {
    if (this.stopped) return;
    this.timer = null;
    if (typeof this.opts.cursor === "function") this.cursor = this.initialCursor();
    const wsBase = this.url("").replace(/^http/, "ws");
    const q = this.cursor.toQuery();
    let ws;
    try {
      ws = new this.WS(`${wsBase}/v1/stream?${q}`, ["microcos", `bearer.${this.token()}`]);
    } catch (e) {
      this.retry({ reason: String(e) });
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.openedAt = Date.now();
      this.startHeartbeat(ws);
      this.setState("connected", {});
    };
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      this.heard();
      if (m.data === PONG) return;
      if (typeof m.data === "string") this.receive(m.data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.stopHeartbeat();
      this.ws = null;
      this.failWaiting();
      if (this.stopped) return;
      if (ev.code === CLOSE_TOKEN_EXPIRED) {
        this.stopped = true;
        this.setState("offline", { code: ev.code, reason: "token expired: sign in again" });
        return;
      }
      if (ev.code === CLOSE_RESUME) {
        this.schedule(0, { code: ev.code, reason: "resume from the cursor" });
        return;
      }
      if (opened && Date.now() - this.openedAt > 5e3) this.attempts = 0;
      if (ev.code === CLOSE_TOO_MANY_SUBSCRIBERS) {
        this.retry({ code: ev.code, reason: "too many open streams for this user" }, 5e3);
        return;
      }
      if (ev.code === CLOSE_RATE_LIMITED) {
        this.retry({ code: ev.code, reason: "too many refused events: slowing down" }, 2e3);
        return;
      }
      if (!opened) {
        this.probe().then(
          (ok) => {
            if (ok) this.retry({ code: ev.code, reason: "cannot reach the service" });
          },
          () => this.retry({ code: ev.code, reason: "cannot reach the service" })
        );
        return;
      }
      this.retry({ code: ev.code, reason: ev.reason || "connection lost" });
    };
    ws.onerror = () => {
    };
  }
  /** False (and stops) when the service refuses the token. */
  async probe() {
    const res = await this.fetchFn(this.url("/v1/events?after=0&limit=1"), {
      headers: { authorization: `Bearer ${this.token()}` }
    });
    if (res.status === 401) {
      this.stopped = true;
      this.setState("offline", { code: 401, reason: "the service refused the token: sign in again" });
      return false;
    }
    return true;
  }
  retry(detail, floorMs = 0) {
    const initial = this.opts.backoff?.initialMs ?? 250;
    const cap = Math.max(this.opts.backoff?.maxMs ?? 15e3, floorMs);
    const base = Math.min(cap, Math.max(floorMs, initial * 2 ** this.attempts));
    this.attempts = Math.min(this.attempts + 1, 30);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.schedule(delay, { ...detail, retryInMs: delay });
  }
  schedule(delay, detail) {
    if (this.timer) clearTimeout(this.timer);
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    this.setState(offline ? "offline" : "reconnecting", offline ? { ...detail, reason: "the device is offline" } : detail);
    this.timer = setTimeout(() => this.open(), delay);
  }
  /** The browser says the network is back: try at once. */
  online = () => {
    if (!this.stopped && !this.ws) {
      this.attempts = 0;
      this.schedule(0, { reason: "back online" });
    }
  };
  /** Pings `ws` every interval; a ping with nothing heard back within the
   * timeout drops it and reconnects. */
  startHeartbeat(ws) {
    this.stopHeartbeat();
    const hb = this.opts.heartbeat;
    if (hb === false) return;
    const every = hb?.intervalMs ?? 15e3;
    const wait = hb?.timeoutMs ?? 1e4;
    this.beat = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== this.WS.OPEN) return;
      try {
        ws.send(PING);
      } catch {
      }
      this.deadline ??= setTimeout(() => this.dead(ws, wait), wait);
    }, every);
  }
  /** Something arrived: the link is alive. */
  heard() {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
  }
  stopHeartbeat() {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
    this.heard();
  }
  /** No answer to a ping: the socket may never say it closed (a dead link
   * delivers no close), so it is dropped here and the stream resumes. */
  dead(ws, waitedMs) {
    this.deadline = null;
    if (this.ws !== ws || this.stopped) return;
    if (Date.now() - this.openedAt > 5e3) this.attempts = 0;
    this.dropSocket(CLOSE_RESUME, "no answer to the heartbeat");
    this.retry({ reason: `no answer to the heartbeat in ${waitedMs} ms` });
  }
  dropSocket(code, reason) {
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    this.failWaiting();
    if (ws) {
      try {
        ws.close(code === 1e3 ? 1e3 : 4e3, reason);
      } catch {
      }
    }
  }
  /** Messages sent on a socket that closed before answering: their outcome
   * is unknown, so each goes again by HTTP (idempotent when it carries a
   * client_action_id or event_id; otherwise it is reported as unavailable). */
  failWaiting() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) {
      if (w.body.client_action_id || w.body.event_id) this.post(w.body).then(w.resolve, w.reject);
      else w.reject(new ApiError2(0, "unavailable", "the connection closed before the answer; it may or may not have been stored"));
    }
  }
  receive(raw) {
    let json;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.invalid(`not JSON: ${raw.slice(0, 80)}`);
    }
    const parsed = Frame.safeParse(json);
    if (!parsed.success) {
      return this.invalid(`${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")} in ${raw.slice(0, 200)}`);
    }
    const frame = parsed.data;
    if (frame.frame === "ack" || frame.frame === "error") {
      const w = this.waiting.shift();
      if (!w) return this.invalid(`an answer nobody waits for: ${raw.slice(0, 120)}`);
      if (frame.frame === "ack") {
        const { frame: _f, ...ack } = frame;
        w.resolve(ack);
      } else {
        w.reject(ApiError2.from(frame.status, frame.error));
      }
      return;
    }
    const delivery = this.cursor.accept(frame);
    if (delivery === "duplicate") return;
    if (delivery === "gap") {
      this.resume();
      return;
    }
    this.opts.onFrame(frame, raw);
    for (const l of this.listeners) l(frame, raw);
  }
  invalid(message) {
    this.opts.onError?.(new ApiError2(0, "invalid_frame", message));
    this.dropSocket(4e3, "invalid frame");
    this.retry({ reason: "invalid frame" });
  }
};
function connect(opts) {
  return new Connection(opts);
}
export {
  Ack,
  AckFrame,
  ActionApplied,
  ActionAppliedEvent,
  ActionApproved,
  ActionApprovedEvent,
  ActionDeclined,
  ActionDeclinedEvent,
  ActionId,
  ActionRejected,
  ActionRejectedEvent,
  ActionView,
  ApiError2 as ApiError,
  AssistantMessage,
  AssistantMessageEvent,
  Attempt,
  CLOSE_RATE_LIMITED,
  CLOSE_RESUME,
  CLOSE_TOKEN_EXPIRED,
  CLOSE_TOO_MANY_SUBSCRIBERS,
  ChatCleared,
  ChatClearedEvent,
  ChatRegenerate,
  ChatRegenerateEvent,
  ClientActionId,
  ClientEvent,
  Connection,
  Cursor,
  EnvelopeHeader,
  ErrorBody,
  ErrorCode,
  ErrorFrame,
  Event,
  EventFrame,
  ExtractedTask,
  FailureCode,
  Frame,
  LlmCancel,
  LlmCancelEvent,
  LlmCheckpoint,
  LlmCheckpointEvent,
  LlmCompleted,
  LlmCompletedEvent,
  LlmFailed,
  LlmFailedEvent,
  LlmRetryScheduled,
  LlmRetryScheduledEvent,
  LlmStarted,
  LlmStartedEvent,
  LlmToken,
  LlmTokenEvent,
  LocalDate,
  LocalTime,
  MAX_CURSOR_OPERATIONS,
  MessageView,
  OperationId,
  OperationKind,
  OperationStatus,
  OperationView,
  PING,
  PONG,
  PlanGenerated,
  PlanGeneratedEvent,
  PlanItem,
  PlanRequested,
  PlanRequestedEvent,
  PlanView,
  ProgressFrame,
  ProposedAction,
  ReminderCancelled,
  ReminderCancelledEvent,
  ReminderFired,
  ReminderFiredEvent,
  ReminderId,
  ReminderSet,
  ReminderSetEvent,
  ReminderSnoozed,
  ReminderSnoozedEvent,
  ReminderView,
  Seq,
  SeqOrZero,
  SettingsUpdated,
  SettingsUpdatedEvent,
  SettingsView,
  Snapshot,
  StateView,
  StoredSettingsUpdated,
  StreamFrame,
  SummaryGenerated,
  SummaryGeneratedEvent,
  SummaryRequested,
  SummaryRequestedEvent,
  TaskCompleted,
  TaskCompletedEvent,
  TaskCreated,
  TaskCreatedEvent,
  TaskDeleted,
  TaskDeletedEvent,
  TaskExtract,
  TaskExtractEvent,
  TaskId,
  TaskReopened,
  TaskReopenedEvent,
  TaskUpdated,
  TaskUpdatedEvent,
  TaskView,
  TasksExtracted,
  TasksExtractedEvent,
  Timestamp,
  TokenFrame,
  TokenIndex,
  ToolCall,
  UserId,
  UserMessage,
  UserMessageEvent,
  Uuid,
  WorkflowDailyPlan,
  WorkflowDailyPlanEvent,
  WorkflowGenerateSummary,
  WorkflowGenerateSummaryEvent,
  connect,
  validateClientEvent
};

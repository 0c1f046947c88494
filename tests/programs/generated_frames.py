"""Compile, with the LLVM of llvmlite, an object whose DWARF holds what
pf's shim gives Numba's generated code, for tests/0209: a generated
(DIFlagArtificial, line 0) `wrapper` into which the user's `body` is
inlined, and a generated `helper` inlined into the user's `user` at
line 21.  alwaysinline makes the inlining the same on every machine.
With RUNTIME.o, also an object like Numba's runtime: a generated
`rt_incref` (artificial, in "<numba-generated>" as the shim makes it)
that calls `rt_add`, with no user code in it.

    generated_frames.py OUTPUT.o [RUNTIME.o]
"""
import sys

import llvmlite.binding as llvm

IR = r'''
target triple = "x86_64-unknown-linux-gnu"

define double @body(double %x, i64 %n) alwaysinline !dbg !10 {
entry:
  br label %loop, !dbg !20
loop:
  %k = phi i64 [ 0, %entry ], [ %k1, %loop ], !dbg !20
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ], !dbg !21
  %kf = sitofp i64 %k to double, !dbg !21
  %a = fadd double %x, %kf, !dbg !21
  %b = fadd double %x, 1.5, !dbg !21
  %c = fadd double %b, %kf, !dbg !21
  %d = fdiv double %a, %c, !dbg !21
  %s1 = fadd double %s, %d, !dbg !21
  %k1 = add i64 %k, 1, !dbg !20
  %done = icmp sge i64 %k1, %n, !dbg !20
  br i1 %done, label %out, label %loop, !dbg !20
out:
  ret double %s1, !dbg !22
}

define double @wrapper(double %x, i64 %n) noinline !dbg !30 {
entry:
  %r = call double @body(double %x, i64 %n), !dbg !31
  %r2 = fmul double %r, 2.0, !dbg !31
  ret double %r2, !dbg !31
}

define double @helper(double %x) alwaysinline !dbg !40 {
  %y = fmul double %x, 3.0, !dbg !41
  %z = fadd double %y, 1.0, !dbg !41
  ret double %z, !dbg !41
}

define double @user(double %x) noinline !dbg !50 {
  %h = call double @helper(double %x), !dbg !51
  %r = fdiv double %h, %x, !dbg !52
  ret double %r, !dbg !52
}

!llvm.dbg.cu = !{!1, !2}
!llvm.module.flags = !{!3, !4}
!1 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus, file: !5, producer: "clang (Numba)", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!2 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus, file: !6, producer: "clang (Numba)", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!3 = !{i32 2, !"Dwarf Version", i32 4}
!4 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DIFile(filename: "user.py", directory: "/src")
!6 = !DIFile(filename: "<numba-generated>", directory: "")
!7 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "body", linkageName: "body", scope: !5, file: !5, line: 10, type: !7, scopeLine: 10, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !1)
!20 = !DILocation(line: 11, column: 1, scope: !10)
!21 = !DILocation(line: 12, column: 1, scope: !10)
!22 = !DILocation(line: 13, column: 1, scope: !10)
!30 = distinct !DISubprogram(name: "wrapper", linkageName: "wrapper", scope: !6, file: !6, line: 0, type: !7, scopeLine: 0, flags: DIFlagArtificial, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2)
!31 = !DILocation(line: 0, column: 0, scope: !30)
!40 = distinct !DISubprogram(name: "helper", linkageName: "helper", scope: !6, file: !6, line: 0, type: !7, scopeLine: 0, flags: DIFlagArtificial, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2)
!41 = !DILocation(line: 0, column: 0, scope: !40)
!50 = distinct !DISubprogram(name: "user", linkageName: "user", scope: !5, file: !5, line: 20, type: !7, scopeLine: 20, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !1)
!51 = !DILocation(line: 21, column: 1, scope: !50)
!52 = !DILocation(line: 22, column: 1, scope: !50)
'''

RUNTIME_IR = r'''
target triple = "x86_64-unknown-linux-gnu"

declare void @rt_add(i64*, i64)

define void @rt_incref(i64* %p) noinline !dbg !10 {
  call void @rt_add(i64* %p, i64 1), !dbg !11
  ret void, !dbg !11
}

!llvm.dbg.cu = !{!1}
!llvm.module.flags = !{!3, !4}
!1 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus, file: !6, producer: "clang (Numba)", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!3 = !{i32 2, !"Dwarf Version", i32 4}
!4 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !DIFile(filename: "<numba-generated>", directory: "")
!7 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "rt_incref", linkageName: "rt_incref", scope: !6, file: !6, line: 0, type: !7, scopeLine: 0, flags: DIFlagArtificial, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !1)
!11 = !DILocation(line: 0, column: 0, scope: !10)
'''

llvm.initialize()
llvm.initialize_native_target()
llvm.initialize_native_asmprinter()


def compile_ir(ir, path):
    mod = llvm.parse_assembly(ir)
    mod.verify()
    pmb = llvm.create_pass_manager_builder()
    pmb.opt_level = 2
    pmb.inlining_threshold = 225
    pm = llvm.create_module_pass_manager()
    pmb.populate(pm)
    pm.run(mod)
    tm = llvm.Target.from_triple("x86_64-unknown-linux-gnu").create_target_machine(
        codemodel="small", reloc="static", opt=2)
    with open(path, "wb") as f:
        f.write(tm.emit_object(mod))


compile_ir(IR, sys.argv[1])
if len(sys.argv) > 2:
    compile_ir(RUNTIME_IR, sys.argv[2])
